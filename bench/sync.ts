// npm run bench:sync [-- --quick] [-- --chaos] [-- --only=live|polling|events|backfill|feed] [-- --pipelines=N]
//                    [-- --feed-tail]
//
// Measures the sync engine against the CodePipeline sandbox and an embedded Postgres. Figures:
// - requests_per_state_change_{polling,events}: AWS requests Stageboard made (sandbox stats, every
//   operation) divided by the status transitions the sandbox produced (pipeline + stage + action level),
//   over a busy stretch with many executions running. Events mode gets EventBridge events from the sandbox
//   over HTTP (10% duplicated, batches reversed).
// - idle_requests_per_pipeline_hour_{polling,events}: requests over quiet simulated hours divided by
//   pipelines x hours, after everything has finished (discovery's ListPipelines included).
// - freshness_p95_ms_{polling,events}: simulated time from a status change of an execution already known
//   to Postgres (work in progress) until a row shows it (its lastUpdateTime reached the change); the clock
//   moves in steps of 500 ms (polling) or 250 ms (events) and the engine catches up after each step.
//   discovery_p95_ms_* is the same for the first sight of a new execution on an idle pipeline, and
//   approval_decision_p95_ms_* for changes caused by a reviewer answering outside Stageboard (found by
//   the backed-off checks of a pipeline that waits for people).
// - backfill_ratio: wall time until every pipeline is backfilled, divided by the minimum possible: pages
//   needed at 100 per page (executions + action executions per pipeline, + ListPipelines) / the sandbox's
//   rate limit (10 requests/s, the engine's budget set to the same), real clock.
// - mismatches: executions, stage and action executions differing from the sandbox's ground truth after
//   the live phases (all executions) and after the backfill (executions finished before it started).
//   With --chaos the backfill runs in a child process killed with SIGKILL halfway and restarted.
//   With --chaos the live phases' sync runs in a child process too (lockstep: it reads the sandbox clock
//   over HTTP at every drain), SIGKILLed inside a random drain at four random moments of the busy stretch
//   and restarted; mismatches_chaos_live counts what then differs from the ground truth (goal 0), and the
//   live timings carry a `_chaos` suffix (the restarts and lapsing leases are in them).
// - feed_lag_p95_ms: real clock, every pipeline busy, the engine in a child process: from a change's
//   store (ChangeEvent.createdAt, the trigger's clock_timestamp(), at most the commit) to its event at an
//   SSE client of GET /api/stream on the production server when the build has that route, otherwise (or
//   with --feed-tail) at a subscribeToFeed subscriber in another process. Goal <= 250.
// - feed_duplicates, feed_gaps: a durable consumer (consumeChanges) in a child process, SIGKILLed at 3
//   (quick) or 5 random moments of the busy stretch and restarted, records every change id it handles
//   before its transaction commits; gaps are ChangeEvent rows it never handled (goal 0), duplicates
//   changes it handled more than once (reported: delivery is at least once).
// The manual clock compresses time for the live phases; the engine's `now` is the sandbox clock. Figures
// measured while other work shares the machine's cores are noisy: compare medians of several runs.
import { startBenchDb } from "./lib/bench-db";
import { runBackfillPhase } from "./lib/phase-backfill";
import { buildHasStreamRoute, runFeedPhase } from "./lib/phase-feed";
import { runLivePhase } from "./lib/phase-live";

process.env.AWS_ACCESS_KEY_ID ??= "AKIDSANDBOX";
process.env.AWS_SECRET_ACCESS_KEY ??= "sandbox-secret";

const args = new Set(process.argv.slice(2));
const quick = args.has("--quick");
const chaos = args.has("--chaos");
const only = [...args].find((a) => a.startsWith("--only="))?.slice(7);
const sized = [...args].find((a) => a.startsWith("--pipelines="))?.slice(12);
const pipelines = sized ? Number(sized) : quick ? 60 : 500;

/** SIGKILLs of the live sync process per live mode under --chaos. */
const LIVE_KILLS = 4;
const chaosLive = { mismatches: 0, kills: 0 };
const fmt = (n: number, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : "NaN");
const figures: Record<string, string> = {};
const benchDb = await startBenchDb();
try {
  const liveModes =
    !only || only === "live" ? [false, true] : only === "polling" ? [false] : only === "events" ? [true] : [];
  {
    for (const events of liveModes) {
      const mode = events ? "events" : "polling";
      const t0 = performance.now();
      const live = await runLivePhase(benchDb, {
        pipelines,
        busyPipelines: Math.round(pipelines / 5),
        busyMs: quick ? 5 * 60_000 : 15 * 60_000,
        idleMs: 2 * 3_600_000,
        events,
        kills: chaos ? LIVE_KILLS : 0,
      });
      console.log(
        `${mode}: ${live.stateChanges} state changes while busy, ${live.errorLogs} error logs, ${((performance.now() - t0) / 1000).toFixed(0)} s${chaos ? `, ${live.kills} kills inside a drain (${live.killsMissed} drains finished first), ${live.mismatches} mismatches` : ""}`,
      );
      // Under --chaos the timings include the restarts (a dead worker's leases lapse after 30 simulated
      // seconds), so they carry a suffix and never stand in for the figures of a run without kills.
      const key = (name: string) => (chaos ? `${name}_${mode}_chaos` : `${name}_${mode}`);
      figures[key("requests_per_state_change")] = fmt(live.requestsPerStateChange);
      figures[key("idle_requests_per_pipeline_hour")] = fmt(live.idleRequestsPerPipelineHour);
      figures[key("freshness_p95_ms")] = fmt(live.freshnessP95Ms, 0);
      figures[key("discovery_p95_ms")] = fmt(live.discoveryP95Ms, 0);
      figures[key("approval_decision_p95_ms")] = fmt(live.approvalP95Ms, 0);
      if (chaos) {
        chaosLive.mismatches += live.mismatches;
        chaosLive.kills += live.kills;
      } else figures[`mismatches_live_${mode}`] = String(live.mismatches);
    }
    if (chaos && liveModes.length) {
      figures.mismatches_chaos_live = String(chaosLive.mismatches);
      figures.kills_chaos_live = String(chaosLive.kills);
    }
  }
  if (!only || only === "backfill") {
    const b = await runBackfillPhase(benchDb, { pipelines, historyDays: 90, rateLimit: 10, chaos });
    console.log(
      `backfill: ${b.pages} pages needed, ${b.requests} requests made, ${b.throttled} throttled, ${fmt(b.seconds, 1)} s (minimum ${fmt(b.minimumSeconds, 1)} s), ${b.errorLogs} error logs, ${b.kills} kills`,
    );
    figures.backfill_ratio = fmt(b.ratio);
    figures[chaos ? "mismatches_backfill_chaos" : "mismatches_backfill"] = String(b.mismatches);
  }
  if (!only || only === "feed") {
    const sse = !args.has("--feed-tail") && buildHasStreamRoute();
    const f = await runFeedPhase(benchDb, {
      pipelines,
      busyMs: quick ? 60_000 : 180_000,
      consumerKills: quick ? 3 : 5,
      sse,
    });
    console.log(
      `feed: ${f.changes} changes, lag to ${f.reader === "sse" ? "an SSE client of GET /api/stream" : "a subscribeToFeed subscriber in another process (no build with GET /api/stream)"} over ${f.lagSamples} live changes, consumer killed ${f.kills} times: ${f.duplicates} duplicates, ${f.gaps} gaps`,
    );
    figures.feed_lag_p95_ms = fmt(f.lagP95Ms, 0);
    figures.feed_duplicates = String(f.duplicates);
    figures.feed_gaps = String(f.gaps);
  }
  const total = Object.entries(figures)
    .filter(([k]) => k.startsWith("mismatches_"))
    .reduce((n, [, v]) => n + Number(v), 0);
  figures.mismatches = String(total);
} finally {
  await benchDb.stop();
}
console.log(
  `figures: ${Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}`,
);
process.exit(0);
