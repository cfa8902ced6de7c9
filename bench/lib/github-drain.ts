// The write-back benchmark's drain phase: a backlog of pending updates, as Stageboard holds them after GitHub was out
// of reach while executions finished: their check runs and deployments already on GitHub (created here beforehand,
// in progress, their ids on the jobs), now to be completed, plus each pipeline's commit status, over three App
// installations. The write-back loop alone, in a child process, delivers them against GitHub's content-creation
// limits, enforced by the stand-in and kept by Stageboard, both scaled by the same factor; the time until no job is
// pending is compared with the least the two windows allow for the content-creating requests it took.
import { randomUUID } from "node:crypto";
import { checkRunDesired, deploymentDesired, githubTime, statusDesired } from "@/lib/server/writeback/desired";
import type { BenchDb } from "./bench-db";
import { installationRest, type InstallationRest } from "./github-app-client";
import { minimumDrainMs } from "./github-expect";
import { startGitHubStack } from "./github-stack";
import { startWriter, type Writer } from "./github-writer";

export interface DrainOptions {
  /** Executions with a check run to complete; the first `withMore` also a commit status and a deployment. */
  executions: number;
  withMore: number;
  scale: number;
  say: (line: string) => void;
}

export interface DrainFigures {
  jobs: number;
  contentRequests: Record<string, number>;
  seconds: number;
  minimumSeconds: number;
  ratio: number;
  refused: number;
  states: Record<string, number>;
}

const REPOSITORIES = ["acme/drain-service", "globex/drain-service", "initech/drain-service"];
const BASE = "https://stageboard.example.com";
const SUMMARY = [
  "✅ Succeeded: every stage passed.",
  "",
  "| Stage | Status |",
  "| --- | --- |",
  "| Source | Succeeded |",
  "| Build | Succeeded |",
  "| Staging | Succeeded |",
].join("\n");

const shaOf = (i: number) => `${(i + 1).toString(16).padStart(8, "0")}${"c0ffee".repeat(6)}ab`.slice(0, 40);

type Execution = { i: number; repository: string; sha: string; pipeline: string; executionId: string; url: string };

function executionOf(i: number): Execution {
  const repository = REPOSITORIES[i % REPOSITORIES.length]!;
  const pipeline = `drain-${i % 20}`;
  const executionId = randomUUID();
  return {
    i,
    repository,
    sha: shaOf(i),
    pipeline,
    executionId,
    url: `${BASE}/pipelines/${pipeline}/executions/${executionId}`,
  };
}

const deploymentOf = (e: Execution, state: "success", started: Date) =>
  deploymentDesired({
    sha: e.sha,
    environment: "Staging",
    production: false,
    transient: false,
    payload: { pipeline: e.pipeline, pipelineId: e.pipeline, executionId: e.executionId, stage: "Staging" },
    description: `${e.pipeline} ${e.executionId.slice(0, 8)}: Staging succeeded`,
    state,
    logUrl: e.url,
    environmentUrl: null,
    startedAt: started.toISOString(),
  });

/** What GitHub holds before the backlog: the run and the deployment in progress, made as the App. */
async function createOnGitHub(rest: InstallationRest, e: Execution, more: boolean, started: Date) {
  const run = await rest<{ id: number }>("POST", `/repos/${e.repository}/check-runs`, {
    name: `CodePipeline · ${e.pipeline}`,
    head_sha: e.sha,
    external_id: e.executionId,
    details_url: e.url,
    status: "in_progress",
    started_at: githubTime(started),
    output: { title: "Running Staging", summary: "▶️ Running **Staging**." },
  });
  if (!more) return { run: run.id, deployment: null };
  const deployment = await rest<{ id: number }>("POST", `/repos/${e.repository}/deployments`, {
    ref: e.sha,
    task: "deploy",
    auto_merge: false,
    required_contexts: [],
    payload: { pipeline: e.pipeline, pipelineId: e.pipeline, executionId: e.executionId, stage: "Staging" },
    environment: "Staging",
    description: `${e.pipeline} ${e.executionId.slice(0, 8)}: Staging in progress`,
    production_environment: false,
    transient_environment: false,
  });
  await rest("POST", `/repos/${e.repository}/deployments/${deployment.id}/statuses`, {
    state: "in_progress",
    log_url: e.url,
    auto_inactive: false,
  });
  return { run: run.id, deployment: deployment.id };
}

/** The pending jobs of one execution, as enqueue.ts leaves them when its run and deployment are to be completed. */
function jobsOf(e: Execution, ids: { run: number; deployment: number | null }, started: Date, now: Date) {
  const key = { repository: e.repository, headSha: e.sha, pipelineId: e.pipeline, nextAttemptAt: now, updatedAt: now };
  const updated = { desiredVersion: 2, sentVersion: 1, sends: 1 };
  const jobs = [
    {
      ...key,
      ...updated,
      executionId: e.executionId,
      kind: "check-run.execution",
      subject: "",
      remoteId: BigInt(ids.run),
      desired: checkRunDesired({
        name: `CodePipeline · ${e.pipeline}`,
        headSha: e.sha,
        externalId: e.executionId,
        detailsUrl: e.url,
        status: "completed",
        conclusion: "success",
        startedAt: githubTime(started),
        completedAt: githubTime(now),
        title: "Succeeded in 10m",
        summary: SUMMARY,
      }),
    },
  ];
  if (ids.deployment === null) return jobs;
  return [
    ...jobs,
    {
      ...key,
      executionId: "",
      kind: "status.execution",
      subject: "",
      remoteId: null,
      desiredVersion: 1,
      sentVersion: 0,
      sends: 0,
      desired: statusDesired({
        context: `codepipeline/${e.pipeline}`,
        sha: e.sha,
        state: "success",
        description: "Succeeded in 10m",
        targetUrl: e.url,
        executionId: e.executionId,
      }),
    },
    {
      ...key,
      ...updated,
      executionId: e.executionId,
      kind: "deployment.stage",
      subject: "Staging",
      remoteId: BigInt(ids.deployment),
      desired: deploymentOf(e, "success", started),
    },
  ];
}

async function inParallel<T, R>(items: readonly T[], width: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let k = next++; k < items.length; k = next++) out[k] = await fn(items[k]!);
    }),
  );
  return out;
}

export async function runDrainPhase(benchDb: BenchDb, o: DrainOptions): Promise<DrainFigures> {
  const { say } = o;
  const limits = { perMinute: 80 * o.scale, perHour: 500 * o.scale };
  const stack = await startGitHubStack({ repositories: REPOSITORIES });
  const { url, db } = await benchDb.newDatabase("github_drain");
  let writer: Writer | null = null;
  try {
    const executions = Array.from({ length: o.executions }, (_, i) => executionOf(i));
    for (const repository of REPOSITORIES) {
      const [owner = "", name = ""] = repository.split("/");
      await db.repository.create({ data: { fullName: repository, owner, name } });
      const mine = executions.filter((e) => e.repository === repository);
      for (let from = 0; from < mine.length; from += 500)
        await stack.control("commits", {
          repository,
          commits: mine.slice(from, from + 500).map((e) => ({
            sha: e.sha,
            message: `Change ${e.i}`,
            author: { name: "Drain Author", email: "drain@example.com" },
          })),
        });
    }
    say(`creating ${o.executions} check runs and ${o.withMore} deployments in progress on the stand-in…`);
    const restFor = await installationRest(`${stack.standIn.url}/api/v3`, stack.appId, stack.privateKey);
    const started = new Date(Date.now() - 600_000);
    const ids = await inParallel(executions, 8, (e) =>
      createOnGitHub(restFor(e.repository.split("/")[0]!), e, e.i < o.withMore, started),
    );
    const now = new Date();
    const rows = executions.flatMap((e, k) => jobsOf(e, ids[k]!, started, now));
    for (let from = 0; from < rows.length; from += 1000)
      await db.writebackJob.createMany({
        data: rows.slice(from, from + 1000).map((r) => ({ ...r, id: randomUUID() })),
      });
    // Both windows start empty on both sides: the set-up above spent nothing of the timed drain's budget.
    await stack.control("faults", { clear: true, budget: { scale: o.scale } });
    await stack.control("requests/reset", {});
    say(
      `${rows.length} pending updates on ${REPOSITORIES.length} installations; limits ${limits.perMinute}/min and ${limits.perHour}/h on both sides (factor ${o.scale}); starting the write-back loop…`,
    );
    writer = await startWriter("writer", { ...stack.env(limits), DATABASE_URL: url, LOG_LEVEL: "warn" });
    const startedAt = Date.now();
    let lastSay = startedAt;
    for (;;) {
      const pending = await db.writebackJob.count({ where: { state: "pending" } });
      if (pending === 0) break;
      // A drain that cannot finish is measured as far as it got: the ratio then says how far off it is.
      if (Date.now() - startedAt > 30 * 60_000) {
        say(`  ${pending} jobs still pending after 30 minutes; measured until now`);
        break;
      }
      if (Date.now() - lastSay > 30_000) {
        lastSay = Date.now();
        say(`  ${((Date.now() - startedAt) / 1000).toFixed(0)} s: ${pending} pending`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    const seconds = (Date.now() - startedAt) / 1000;
    await writer.stop();
    writer = null;
    const contentRequests = Object.fromEntries(stack.tap.content);
    const minimumMs = Math.max(0, ...Object.values(contentRequests).map((n) => minimumDrainMs(n, limits)));
    const states: Record<string, number> = {};
    for (const g of await db.writebackJob.groupBy({ by: ["state"], _count: { _all: true } }))
      states[g.state] = g._count._all;
    const requests = await stack.control<{ total: number; routes: Record<string, number> }>("requests");
    say(`  ${requests.total} requests by route: ${JSON.stringify(requests.routes)}`);
    return {
      jobs: rows.length,
      contentRequests,
      seconds,
      minimumSeconds: minimumMs / 1000,
      ratio: minimumMs > 0 ? (seconds * 1000) / minimumMs : NaN,
      refused: stack.tap.refused,
      states,
    };
  } catch (error) {
    if (writer) say(`writer output:\n${writer.output()}`);
    throw error;
  } finally {
    await writer?.stop().catch(() => {});
    await stack.stop().catch(() => {});
  }
}
