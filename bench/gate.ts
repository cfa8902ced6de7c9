// npm run bench:gate [-- --quick] [-- --seed=N] [-- --no-kills] [-- --pipelines=N --commits=N]
//
// Release gates against the CodePipeline sandbox and the GitHub stand-in, with nothing replaced: a GitHub App of
// the benchmark's own sends its webhooks (the next ten of each second sent twice, every one shuffled within a
// window) to a child process that receives them as POST /api/github/webhooks does and runs what `npm run worker`
// runs (sync on polling only, write-back, webhook processing, the release gate). 100 gated V2 pipelines with
// connection sources, newest-only mode, get 1,000 commits whose GitHub Actions checks pass or fail at random
// (seeded, printed). Figures:
//   gate_latency_p95_ms          the commit's last check completed (the stand-in's job timer: never earlier) to
//                                StartPipelineExecution arriving at the sandbox's HTTP edge. Goal <= 1,000.
//   starts_per_green_commit      StartPipelineExecution calls at the sandbox's edge / commits released. Goal 1.00.
//   false_starts                 starts for a commit with a failed or still pending check. Goal 0.
//   missed_releases              green commits with no release at or after them in push order. Goal 0.
//   approval_from_github_p95_ms  ada's click (its requested_action delivery reaching the receiver) to
//                                PutApprovalResult at the sandbox's edge. Goal <= 1,000.
//   discovery_p95_ms_push        a push's delivery reaching the receiver to the new execution stored, for pipelines
//                                the gate does not watch, synced by polling only. Goal <= 10,000.
//   lost_deliveries              the whole run again with the receiving process SIGKILLed three times: deliveries
//                                GitHub sent that were never processed. Goal 0.
// --quick: 10 pipelines and 100 commits, for development.
import { loadavg } from "node:os";
import { startBenchDb } from "./lib/bench-db";
import { runGate, type RunResult } from "./lib/gate-run";
import { percentile } from "./lib/stats";

const args = process.argv.slice(2);
const quick = args.includes("--quick");
const option = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const seed = Number(option("seed") ?? Date.now() % 1_000_000);
const pipelines = Number(option("pipelines") ?? (quick ? 10 : 100));
const commits = Number(option("commits") ?? pipelines * 10);
/** The stand-in holds each delivery back up to this long, so they arrive out of order. */
const SHUFFLE_WINDOW_MS = 250;

const say = (line: string) => console.error(line);
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
const p95 = (values: number[]) => (values.length === 0 ? "NaN" : percentile(values, 95).toFixed(0));

function describe(name: string, r: RunResult) {
  const v = r.verdict;
  say(
    `${name}: ${v.starts} starts for ${v.released} released of ${v.greenCommits} green commits; false starts ${v.falseStarts}, missed ${v.missedReleases}, out of order ${v.outOfOrder}; latency p50 ${percentile(v.latenciesMs, 50).toFixed(0)} p95 ${p95(v.latenciesMs)} max ${Math.max(...v.latenciesMs, 0).toFixed(0)} ms (from the delivery: p95 ${p95(r.fromDeliveryMs)}); discovery p95 ${p95(r.discoveryMs)} ms over ${r.discoveryMs.length} (${r.discoveryMissed} not found); approvals p95 ${p95(r.approvalMs)} ms over ${r.approvalMs.length} (${r.approvalMissed} not decided); ${r.sent} deliveries sent, ${r.lost.length} lost${r.lost.length ? ` (${r.lost.slice(0, 5).join(", ")})` : ""}; ${r.kills} kills; ${load()}`,
  );
}

const started = performance.now();
say(`bench:gate${quick ? " (quick)" : ""}: seed ${seed}, ${pipelines} pipelines, ${commits} commits; ${load()}`);
const benchDb = await startBenchDb();
const figures: Record<string, string> = {};
let failed = false;
try {
  const base = {
    pipelines,
    commits,
    seed,
    discoveryPipelines: Math.min(20, Math.ceil(pipelines / 2)),
    approvalPipelines: Math.min(20, Math.ceil(pipelines / 2)),
    shuffleWindowMs: SHUFFLE_WINDOW_MS,
    say,
  };
  const calm = await runGate(benchDb, { ...base, kills: false });
  describe("run", calm);
  const v = calm.verdict;
  figures.gate_latency_p95_ms = p95(v.latenciesMs);
  figures.starts_per_green_commit = v.startsPerReleasedCommit.toFixed(2);
  figures.false_starts = String(v.falseStarts);
  figures.missed_releases = String(v.missedReleases);
  figures.approval_from_github_p95_ms = p95(calm.approvalMs);
  figures.discovery_p95_ms_push = p95(calm.discoveryMs);
  if (!args.includes("--no-kills")) {
    const killed = await runGate(benchDb, { ...base, kills: true, approvalPipelines: 0 });
    describe("run with the receiver killed", killed);
    figures.lost_deliveries = String(killed.lost.length);
  }
} catch (error) {
  failed = true;
  console.error(error);
} finally {
  await benchDb.stop().catch(() => {});
}
say(`done in ${((performance.now() - started) / 1000).toFixed(0)} s; ${load()}`);
console.log(
  `figures: ${Object.entries(figures)
    .map(([k, v]) => `${k}=${v}`)
    .join(" ")}`,
);
process.exit(failed ? 1 : 0);
