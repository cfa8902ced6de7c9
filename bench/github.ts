// npm run bench:github [-- --quick] [-- --chaos] [-- --only=live|drain] [-- --pipelines=N] [-- --drain-scale=F]
//
// GitHub write-back against the GitHub stand-in, as the App's installations, with nothing replaced: a CodePipeline
// sandbox fleet busy on the real clock, its EventBridge events delivered to the product's events handler, and
// `npm run worker` in a child process (the sync engine and the write-back loop as production runs them), writing
// back through a pass-through in front of the stand-in that notes when each check-run write was answered.
// Figures:
//   writeback_lag_p95_ms              from an execution's status change stored (ChangeEvent.createdAt) to the
//                                     stand-in's answer to the first check-run write that holds it (or a later
//                                     state, when the change was coalesced into the next); changes of the
//                                     stretch's last 10 s left out (the worker is stopped then). Goal <= 1,000.
//   github_requests_per_state_change  every request the stand-in received (its /_stand-in/requests, from the busy
//                                     stretch's start until the queue is empty again) / the live execution, stage,
//                                     action and approval changes of the feed in the stretch; check runs, commit
//                                     statuses and deployments all on. Goal <= 0.5.
//   writeback_mismatches              every report Stageboard keeps a job for, against the stand-in after the
//                                     worker is stopped and the write-back loop alone has emptied the queue
//                                     (bench/lib/github-compare.ts); duplicate_check_runs and duplicate_deployments
//                                     alongside. A queue still not empty 10 minutes after the stretch does not
//                                     stop the run: each job still pending counts as a mismatch
//                                     (writeback_pending_at_end). Goal 0, with --chaos too: the worker SIGKILLed three times,
//                                     GitHub unreachable for 60 s (connections refused), secondary-limit 403s.
//   drain_ratio                       5,000 pending updates (check runs and deployments on GitHub to complete,
//                                     commit statuses to set) over three installations, delivered by the
//                                     write-back loop alone against GitHub's content-creation limits (80/min and
//                                     500/h per installation, both scaled by drain_scale, default 4: enforced by
//                                     the stand-in and kept by Stageboard alike): the time from the loop's start
//                                     until none is pending / the least time the two windows allow for the
//                                     content-creating requests it took (bench/lib/github-expect.ts). Goal <= 1.1.
// During the live phase Stageboard's content budget is raised (content_budget_live_per_minute): the stand-in enforces
// none there, and at GitHub's 80 a minute a 500-pipeline fleet's reports would queue for hours, which is what the
// drain measures. --quick: 60 pipelines, a 60 s stretch and 1,000 jobs, as a smoke test. The load is printed:
// figures measured while other work shares the machine's cores are noisy.
import { loadavg } from "node:os";
import { startBenchDb } from "./lib/bench-db";
import { runDrainPhase } from "./lib/github-drain";
import { runLivePhase } from "./lib/github-live";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const chaos = args.includes("--chaos");
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const only = option("only");
const pipelines = Number(option("pipelines") ?? (quick ? 60 : 500));
const drainScale = Number(option("drain-scale") ?? 4);
const LIVE_LIMITS = { perMinute: 1_000_000, perHour: 10_000_000 };

const say = (line: string) => console.error(line);
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;

const figures: Record<string, string> = {};
const started = performance.now();
say(`bench:github${quick ? " (quick)" : ""}${chaos ? " (chaos)" : ""}: ${load()}`);
const benchDb = await startBenchDb();
let failed = false;
try {
  if (!only || only === "live") {
    const live = await runLivePhase(benchDb, {
      pipelines,
      busyMs: chaos ? (quick ? 150_000 : 240_000) : quick ? 60_000 : 180_000,
      chaos,
      limits: LIVE_LIMITS,
      say,
    });
    const c = live.comparison;
    say(
      `live: ${live.stateChanges} live state changes, ${live.requests} GitHub requests (${JSON.stringify(live.routes)}); lag p50 ${live.lagP50Ms} ms p95 ${live.lagP95Ms} ms over ${live.lagSamples} status changes (${live.lagUnseen} never shown); caught up in ${(live.catchUpMs / 1000).toFixed(1)} s; jobs ${JSON.stringify(live.jobs)}; ${c.compared} reports compared, ${c.mismatches} mismatches${c.samples.length ? `: ${c.samples.join("; ")}` : ""}; ${load()}`,
    );
    if (chaos)
      say(
        `chaos: ${live.kills} kills, GitHub unreachable ${(live.outageMs / 1000).toFixed(0)} s, ${live.injected403} 403s injected`,
      );
    const suffix = chaos ? "_chaos" : "";
    figures[`writeback_lag_p95_ms${suffix}`] = Number.isFinite(live.lagP95Ms) ? live.lagP95Ms.toFixed(0) : "NaN";
    figures[`writeback_lag_p50_ms${suffix}`] = Number.isFinite(live.lagP50Ms) ? live.lagP50Ms.toFixed(0) : "NaN";
    figures[`github_requests_per_state_change${suffix}`] = live.requestsPerStateChange.toFixed(3);
    figures.writeback_mismatches = String(c.mismatches);
    figures.writeback_pending_at_end = String(live.pendingAtEnd);
    figures.duplicate_check_runs = String(c.duplicateCheckRuns);
    figures.duplicate_deployments = String(c.duplicateDeployments);
    figures.reports_compared = String(c.compared);
    figures.content_budget_live_per_minute = String(LIVE_LIMITS.perMinute);
    if (chaos) {
      figures.kills = String(live.kills);
      figures.outage_s = (live.outageMs / 1000).toFixed(0);
      figures.injected_403 = String(live.injected403);
    }
  }
  if (!only || only === "drain") {
    const drain = await runDrainPhase(benchDb, {
      executions: quick ? 500 : 2_500,
      withMore: quick ? 250 : 1_250,
      scale: drainScale,
      say,
    });
    say(
      `drain: ${drain.jobs} jobs in ${drain.seconds.toFixed(1)} s (minimum ${drain.minimumSeconds.toFixed(1)} s for ${JSON.stringify(drain.contentRequests)} content-creating requests per installation); ${drain.refused} refused by the stand-in; jobs ${JSON.stringify(drain.states)}; ${load()}`,
    );
    figures.drain_ratio = drain.ratio.toFixed(3);
    figures.drain_scale = String(drainScale);
    figures.drain_jobs = String(drain.jobs);
    figures.drain_refused = String(drain.refused);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await benchDb.stop().catch(() => {});
}
figures.wall_s = ((performance.now() - started) / 1000).toFixed(0);
say(`done in ${figures.wall_s} s; ${load()}`);
console.log(
  `figures: ${Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}`,
);
process.exit(failed ? 1 : 0);
