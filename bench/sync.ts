// npm run bench:sync [-- --quick] [-- --chaos] [-- --only=live|polling|events|backfill] [-- --pipelines=N]
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
// The manual clock compresses time for the live phases; the engine's `now` is the sandbox clock.
import { startBenchDb } from "./lib/bench-db";
import { runBackfillPhase } from "./lib/phase-backfill";
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
