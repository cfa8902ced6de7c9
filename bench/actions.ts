// npm run bench:actions [-- --quick] – manual approvals decided through Stageboard, end to end: the production
// build (`next start`, the sync engine running in it as `npm start` runs it) against an embedded PostgreSQL,
// the CodePipeline sandbox on the real clock with a fleet of the bench's own (Source → Build → Approval →
// Deploy, Deploy starting the instant the approval is given), and the GitHub stand-in, which people sign in
// through (next-auth's OAuth flow over HTTP) and which answers the permission the app asks at each decision.
// Every decision is a real POST /api/approvals/[id]/decision with a signed-in session.
//
// Figures (p95 over sequential decisions, each on its own pipeline, at random moments):
//   decision_to_visible_p95_ms_polling  from sending the approve request until the database the app reads
//                                       shows the approval action Succeeded and the Deploy action started
//                                       (looked at on every change-feed notification), while the sandbox's
//                                       EventBridge events are dropped: the engine only polls. Goal <= 1,500.
//   decision_to_visible_p95_ms_events   the same once the events reach the app's POST /api/events/codepipeline.
//                                       Goal <= 700. (30 decisions each; `_p50_` alongside.)
//   put_approval_calls_per_decision     20 approve requests at once from 5 permitted people on one approval,
//                                       over 50 approvals: PutApprovalResult calls that reached the sandbox
//                                       (its GET /_sandbox/stats) divided by the approvals. Goal exactly 1.00.
//                                       losers_told_who=N/M: the other answers that were a 409 naming the
//                                       person who decided first. Any 5xx answer fails the run (exit 1).
//   github_calls_per_decision           requests the GitHub stand-in received (its GET /_stand-in/requests)
//                                       per decision, one person deciding one approval after another, no
//                                       team required. Goal <= 2 (the permission read, and the commits of the
//                                       change once, for the self-approval check).
//   github_calls_per_decision_team      the same where the policy (STAGEBOARD_POLICY) requires a team. Goal <= 3.
//   rate_limit_raised                   the app's RATE_LIMIT_COMMANDS_PER_MINUTE for the run (default 60): five
//                                       people sending 200 decisions each within minutes would be refused.
// --quick runs 5 decisions per mode, 5 contended approvals and 3 decisions per GitHub count, as a smoke test.
// Timings measured while other work shares the machine's cores are noisy; the load is printed.
import { loadavg } from "node:os";
import pg from "pg";
import { startGitHubStandIn, type StandInUser } from "@/github-stand-in";
import { startSandbox } from "@/sandbox";
import { contend, countGitHubRequests, timeDecisionsToVisible, type Person } from "./lib/actions-phases";
import { startAppServer, type AppServer } from "./lib/app-server";
import { APPROVAL_STAGE, createApprovalPipelines, NEXT_STAGE, waitForApprovals } from "./lib/approval-fleet";
import { startBenchDb } from "./lib/bench-db";
import { startDecisionWatch } from "./lib/decision-watch";
import { startEventsGate } from "./lib/events-gate";
import { signInThroughGitHub } from "./lib/github-sign-in";
import { percentile } from "./lib/stats";

const quick = process.argv.includes("--quick");
const verbose = Boolean(process.env.BENCH_VERBOSE);
const SIZE = quick ? { latency: 5, contention: 5, github: 3 } : { latency: 30, contention: 50, github: 10 };
const CONTENDERS = 5;
const REQUESTS_PER_APPROVAL = 20;
const RAISED_COMMAND_LIMIT = 100_000;
const EVENTS_HEADER = "x-stageboard-events-secret";
const EVENTS_SECRET = "bench-actions-events-secret-0123456789";
const CLIENT = { clientId: "stageboard-bench", clientSecret: "stageboard-bench-secret" };
const REPO = "bench/app";
const TEAM_REPO = "bench/gated";
const TEAM = "bench/release";

const say = (line: string) => console.error(line);
const load = () =>
  `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
const names = (prefix: string, n: number) =>
  Array.from({ length: n }, (_, i) => `${prefix}-${String(i).padStart(2, "0")}`);

const fleet = {
  polling: names("bench-polling", SIZE.latency),
  events: names("bench-events", SIZE.latency),
  contention: names("bench-contention", SIZE.contention),
  github: names("bench-github", SIZE.github),
  team: names("bench-github-team", SIZE.github),
  warmup: ["bench-warmup"],
};
const allPlain = [...fleet.polling, ...fleet.events, ...fleet.contention, ...fleet.github, ...fleet.warmup];

/** Everyone writes to bench/*; all belong to the team, which only bench/gated's policy asks about. */
const person = (login: string): StandInUser => ({
  login,
  name: login,
  owners: { bench: "write" },
  orgs: ["bench"],
  teams: [{ org: "bench", slug: "release" }],
});
const approvers = Array.from({ length: CONTENDERS }, (_, i) => `bench-approver-${i + 1}`);
const REVIEWER = "bench-reviewer";
const TEAM_REVIEWER = "bench-team-reviewer";

// Children and servers, stopped in reverse order however the run ends.
const cleanups: (() => Promise<unknown>)[] = [];
let app: AppServer | null = null;
async function cleanUp() {
  for (const stop of cleanups.splice(0).reverse()) await stop().catch(() => {});
}
process.on("exit", () => app?.kill());
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    say(`${signal}: stopping…`);
    void cleanUp().finally(() => process.exit(130));
  });

async function main(): Promise<{ figures: Record<string, string>; failures: string[] }> {
  const started = performance.now();
  const failures: string[] = [];
  say(`bench:actions${quick ? " (quick)" : ""}: ${load()}`);
  process.env.AWS_ACCESS_KEY_ID ??= "AKIDBENCH";
  process.env.AWS_SECRET_ACCESS_KEY ??= "bench-secret";

  const benchDb = await startBenchDb();
  cleanups.push(() => benchDb.stop());
  const { url: databaseUrl } = await benchDb.newDatabase("actions");
  const gate = await startEventsGate(EVENTS_HEADER);
  cleanups.push(() => gate.stop());
  const sandbox = await startSandbox({
    port: 0,
    clock: "real",
    pipelines: 0,
    activity: false,
    seed: "bench-actions",
    events: { url: gate.url, headerName: EVENTS_HEADER, secret: EVENTS_SECRET },
  });
  cleanups.push(() => sandbox.stop());
  const standIn = await startGitHubStandIn({
    repositories: [REPO, TEAM_REPO],
    users: [...approvers, REVIEWER, TEAM_REVIEWER].map(person),
    clients: [CLIENT],
    commitsFrom: `${sandbox.url}/_sandbox/commits`,
  });
  cleanups.push(() => standIn.stop());

  say(`creating ${allPlain.length + fleet.team.length} pipelines on the sandbox…`);
  await createApprovalPipelines(sandbox.url, REPO, allPlain);
  await createApprovalPipelines(sandbox.url, TEAM_REPO, fleet.team);

  say("starting the production server with the sync engine in it…");
  const target = { id: "sandbox", accountId: "111122223333", region: "us-east-1", endpoint: sandbox.url };
  app = await startAppServer(databaseUrl, say, {
    github: { url: standIn.url, ...CLIENT },
    env: {
      SYNC_IN_APP: "true",
      STAGEBOARD_TARGETS: JSON.stringify([target]),
      SYNC_REQUESTS_PER_SECOND: "50",
      EVENTS_SECRET,
      EVENTS_HEADER,
      STAGEBOARD_POLICY: JSON.stringify({ repositories: { [TEAM_REPO]: { approvals: { requiredTeams: [TEAM] } } } }),
      RATE_LIMIT_COMMANDS_PER_MINUTE: String(RAISED_COMMAND_LIMIT),
    },
  });
  const running = app;
  cleanups.push(() => running.stop());
  say(`RATE_LIMIT_COMMANDS_PER_MINUTE raised from 60 to ${RAISED_COMMAND_LIMIT} for the app`);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  cleanups.push(() => client.end());
  const watch = await startDecisionWatch(databaseUrl, { approval: APPROVAL_STAGE, next: NEXT_STAGE });
  cleanups.push(() => watch.stop());
  const alive = async () => {
    const up = await fetch(`${running.url}/api/health`).then(
      () => true,
      () => false,
    );
    if (!up) throw new Error("the app stopped answering");
  };
  // Signed in just before a phase, as a person who opens the approval has a fresh repository list: one
  // older than REPOSITORY_CACHE_TTL_SECONDS would be refreshed from GitHub before their request is served.
  const signInPeople = async () => {
    const people: Person[] = [];
    for (const login of approvers) people.push({ login, cookie: await signInThroughGitHub(running.url, login) });
    return people;
  };
  try {
    say("waiting for Stageboard to sync every pipeline's waiting approval…");
    const t0 = performance.now();
    const ready = await waitForApprovals(client, [...allPlain, ...fleet.team], 300_000, alive);
    say(`synced in ${((performance.now() - t0) / 1000).toFixed(1)} s; ${load()}`);
    const approvalsOf = (list: string[]) => list.map((name) => ready.get(name)).filter((a) => a !== undefined);

    say(`signing ${approvers.length} people in through the GitHub stand-in…`);
    const people = await signInPeople();

    const figures: Record<string, string> = {};
    // BENCH_VERBOSE: what was stored after each timed decision, in ms from its sending.
    const trace = verbose
      ? async (approval: { pipelineId: string; pipeline: string }, sentAt: number) => {
          await new Promise((r) => setTimeout(r, 1_500));
          const { rows } = await client.query<{ at: Date; entity: string; name: string | null; after: unknown }>(
            `SELECT "createdAt" AS at, entity, name, after FROM "ChangeEvent"
              WHERE "pipelineId" = $1 AND "createdAt" >= $2 ORDER BY id`,
            [approval.pipelineId, new Date(sentAt - 1_000)],
          );
          say(
            `  ${approval.pipeline}: ${rows.map((r) => `${r.at.getTime() - sentAt}ms ${r.entity}${r.name ? ` ${r.name}` : ""} ${JSON.stringify(r.after)}`).join(" | ")}`,
          );
        }
      : undefined;
    const p = (values: number[], q: number) => percentile(values, q).toFixed(0);

    say(`polling only (events dropped): ${fleet.polling.length} decisions, each timed until stored…`);
    const polling = await timeDecisionsToVisible(running.url, people, approvalsOf(fleet.polling), watch, say, trace);
    figures.decision_to_visible_p95_ms_polling = p(polling.visibleMs, 95);
    figures.decision_to_visible_p50_ms_polling = p(polling.visibleMs, 50);
    figures.decision_response_p50_ms = p(polling.responseMs, 50);
    say(
      `polling: p50 ${figures.decision_to_visible_p50_ms_polling} ms, p95 ${figures.decision_to_visible_p95_ms_polling} ms (goal <= 1500); the request itself p50 ${figures.decision_response_p50_ms} ms; ${polling.missing} not stored within 30 s; ${load()}`,
    );

    say(
      `${REQUESTS_PER_APPROVAL} approve requests at once from ${CONTENDERS} people, on each of ${fleet.contention.length} approvals…`,
    );
    await fetch(`${sandbox.url}/_sandbox/stats/reset`, { method: "POST", body: "{}" });
    const tallies = await contend(running.url, people, approvalsOf(fleet.contention), REQUESTS_PER_APPROVAL, say);
    const stats = (await (await fetch(`${sandbox.url}/_sandbox/stats`)).json()) as { requests: Record<string, number> };
    const puts = stats.requests.PutApprovalResult ?? 0;
    const sum = (pick: (t: (typeof tallies)[number]) => number) => tallies.reduce((n, t) => n + pick(t), 0);
    const serverErrors = tallies.flatMap((t) => t.serverErrors);
    const unexpected = tallies.flatMap((t) => t.unexpected);
    figures.put_approval_calls_per_decision = (puts / Math.max(1, tallies.length)).toFixed(2);
    figures.losers_told_who = `${sum((t) => t.losersToldWho)}/${sum((t) => t.losers)}`;
    figures.contention_server_errors = String(serverErrors.length);
    say(
      `contention: ${puts} PutApprovalResult calls for ${tallies.length} approvals (goal 1.00 each), ${sum((t) => t.winners)} answers that sent one; losers told who went first ${figures.losers_told_who}; ${serverErrors.length} answers 5xx, ${unexpected.length} other refusals`,
    );
    for (const a of [...serverErrors, ...unexpected].slice(0, 5)) say(`  @${a.login}: ${a.status} ${a.message}`);
    if (serverErrors.length) {
      failures.push(`${serverErrors.length} concurrent approve requests answered 5xx`);
      say(`server output:\n${running.output()}`);
    }
    if (puts !== tallies.length) failures.push(`${puts} PutApprovalResult calls for ${tallies.length} approvals`);

    for (const [key, list, login] of [
      ["github_calls_per_decision", fleet.github, REVIEWER],
      ["github_calls_per_decision_team", fleet.team, TEAM_REVIEWER],
    ] as const) {
      // Signed in just now, so the repository list the app keeps is fresh and no refresh falls in the count.
      const reviewer = { login, cookie: await signInThroughGitHub(running.url, login) };
      await new Promise((r) => setTimeout(r, 1_000));
      const counted = await countGitHubRequests(running.url, standIn.url, reviewer, approvalsOf(list));
      figures[key] = (counted.total / list.length).toFixed(2);
      say(`${key}: ${counted.total} GitHub requests for ${list.length} decisions: ${JSON.stringify(counted.requests)}`);
    }

    say("opening the events route to the sandbox's EventBridge events…");
    gate.open(`${running.url}/api/events/codepipeline`);
    await fetch(`${sandbox.url}/_sandbox/activity`, {
      method: "POST",
      body: JSON.stringify({ pipelines: fleet.warmup }),
    });
    for (let i = 0; ; i++) {
      const { rows } = await client.query<{ at: Date | null }>(
        `SELECT "lastEventAt" AS at FROM "Target" WHERE id = 'sandbox'`,
      );
      if (rows[0]?.at) break;
      if (i > 120) throw new Error("no event reached the app within a minute of opening the route");
      await new Promise((r) => setTimeout(r, 500));
    }
    // The engine re-reads each target's last event time every 10 s: from then on it counts events as flowing.
    await new Promise((r) => setTimeout(r, 11_000));
    say(`with events: ${fleet.events.length} decisions, each timed until stored…`);
    const events = await timeDecisionsToVisible(
      running.url,
      await signInPeople(),
      approvalsOf(fleet.events),
      watch,
      say,
      trace,
    );
    figures.decision_to_visible_p95_ms_events = p(events.visibleMs, 95);
    figures.decision_to_visible_p50_ms_events = p(events.visibleMs, 50);
    figures.decisions_not_stored = String(polling.missing + events.missing);
    say(
      `events: p50 ${figures.decision_to_visible_p50_ms_events} ms, p95 ${figures.decision_to_visible_p95_ms_events} ms (goal <= 700); ${events.missing} not stored within 30 s; deliveries passed on ${gate.counts.forwarded} (${gate.counts.refused} not accepted; the app answered in p50 ${p(gate.counts.answerMs, 50)} ms, p95 ${p(gate.counts.answerMs, 95)} ms), dropped while closed ${gate.counts.dropped}`,
    );

    figures.rate_limit_raised = String(RAISED_COMMAND_LIMIT);
    figures.wall_s = ((performance.now() - started) / 1000).toFixed(0);
    say(`done in ${figures.wall_s} s; ${load()}`);
    return { figures, failures };
  } catch (error) {
    say(`server output:\n${running.output()}`);
    throw error;
  }
}

main()
  .then(async ({ figures, failures }) => {
    await cleanUp();
    console.log(
      `figures: ${Object.entries(figures)
        .map(([k, v]) => `${k}=${v}`)
        .join(" ")}`,
    );
    if (failures.length) {
      say(`FAILED: ${failures.join("; ")}`);
      process.exit(1);
    }
    process.exit(0);
  })
  .catch(async (error: unknown) => {
    console.error(error);
    await cleanUp();
    process.exit(1);
  });
