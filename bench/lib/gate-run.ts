// One run of the release gate benchmark: the sandbox, the GitHub stand-in with a GitHub App of the benchmark's own
// sending its webhooks (duplicated and shuffled by the stand-in's controls) to the receiving child process, and a
// plan of commits pushed to the gated pipelines' repositories, each with a GitHub Actions workflow whose checks pass
// or fail. Beside them, pipelines the gate does not watch measure discovery on push (CodePipeline's own start is
// played by the benchmark, straight to the sandbox), and approval pipelines measure a click on GitHub. With `kills`
// the receiving process is SIGKILLed three times during the pushes.
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { startGitHubStandIn } from "@/github-stand-in";
import { startSandbox } from "@/sandbox";
import { findFreePort } from "@/lib/server/net/free-port";
import type { BenchDb } from "./bench-db";
import { createFleet, startAt } from "./gate-fleet";
import { judgeGate, lostDeliveries, type GateVerdict, type OracleCommit } from "./gate-oracle";
import { isGreen, lastCheckMs, planCommits, seededRandom } from "./gate-plan";
import { startReceiver } from "./gate-receiver";
import { startSandboxTap, startWebhookTap } from "./gate-taps";

const APP_ID = 340016;
const WEBHOOK_SECRET = "bench-gate-webhook-secret";
const INSTALLATION = 540016;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type RunOptions = {
  pipelines: number;
  commits: number;
  seed: number;
  kills: boolean;
  discoveryPipelines: number;
  approvalPipelines: number;
  shuffleWindowMs: number;
  say: (line: string) => void;
};

export type RunResult = {
  verdict: GateVerdict;
  /** Latency from the delivery of the last check's completion reaching the receiver, for comparison. */
  fromDeliveryMs: number[];
  discoveryMs: number[];
  discoveryMissed: number;
  approvalMs: number[];
  approvalMissed: number;
  sent: number;
  lost: string[];
  kills: number;
};

async function until(what: string, timeoutMs: number, done: () => Promise<boolean>, pollMs = 500) {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(pollMs);
  }
}

const pad = (n: number) => String(n).padStart(3, "0");

export async function runGate(benchDb: BenchDb, o: RunOptions): Promise<RunResult> {
  const { say } = o;
  const sandbox = await startSandbox({ port: 0, clock: "real", pipelines: 0, activity: false, seed: "bench-gate" });
  const sandboxTap = await startSandboxTap(sandbox.url, ["StartPipelineExecution", "PutApprovalResult"]);
  const { url, db } = await benchDb.newDatabase(o.kills ? "gate_kills" : "gate");
  const receiverPort = await findFreePort();
  const webhookTap = await startWebhookTap(`http://127.0.0.1:${receiverPort}`);

  const gated = Array.from({ length: o.pipelines }, (_, i) => ({
    name: `gated-${pad(i)}`,
    repository: `acme/gate-${pad(i)}`,
  }));
  const discover = Array.from({ length: o.discoveryPipelines }, (_, i) => ({
    name: `pushed-${pad(i)}`,
    repository: `acme/push-${pad(i)}`,
  }));
  const approving = Array.from({ length: o.approvalPipelines }, (_, i) => ({
    name: `approving-${pad(i)}`,
    repository: `acme/approve-${pad(i)}`,
    approval: true,
  }));
  const all = [...gated, ...discover, ...approving];

  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
  });
  const standIn = await startGitHubStandIn({
    port: 0,
    repositories: all.map((p) => p.repository),
    // The approval pipelines' first executions are of the sandbox's own commits; approving reads their authors.
    commitsFrom: `${sandbox.url}/_sandbox/commits`,
    apps: [
      {
        id: APP_ID,
        name: "Stageboard (gate bench)",
        owner: "acme",
        public: true,
        privateKey,
        webhookSecret: WEBHOOK_SECRET,
        webhookUrl: `${webhookTap.url}/api/github/webhooks`,
        permissions: { checks: "write", statuses: "write", contents: "read", metadata: "read", pull_requests: "read" },
        events: ["push", "check_run", "check_suite", "status"],
        installations: [{ account: "acme", id: INSTALLATION }],
      },
    ],
  });
  const control = async <T>(path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${standIn.url}/_stand-in/${path}`, {
      method: body === undefined ? "GET" : "POST",
      ...(body === undefined ? {} : { headers: { "content-type": "application/json" }, body: JSON.stringify(body) }),
    });
    if (!response.ok) throw new Error(`stand-in ${path}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  };

  const env = {
    NODE_ENV: "production",
    NEXTAUTH_URL: "https://stageboard.example.com",
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    GITHUB_URL: standIn.url,
    GITHUB_API_URL: `${standIn.url}/api/v3`,
    GITHUB_COM_STAND_IN_URL: standIn.url,
    GITHUB_APP_ID: String(APP_ID),
    GITHUB_APP_PRIVATE_KEY: privateKey.trimEnd().replaceAll("\n", "\\n"),
    GITHUB_APP_WEBHOOK_SECRET: WEBHOOK_SECRET,
    WRITEBACK_CHECK_RUNS: "true",
    WRITEBACK_CONTENT_PER_MINUTE: "1000000",
    WRITEBACK_CONTENT_PER_HOUR: "10000000",
    DATABASE_URL: url,
    STAGEBOARD_TARGETS: JSON.stringify([
      { id: "sandbox", accountId: "111122223333", region: "us-east-1", endpoint: sandboxTap.url },
    ]),
    AWS_ACCESS_KEY_ID: "AKIDBENCH",
    AWS_SECRET_ACCESS_KEY: "bench-secret",
    SYNC_REQUESTS_PER_SECOND: "200",
    LOG_LEVEL: "warn",
  };

  await createFleet(sandbox, all);
  const receiver = await startReceiver(env, receiverPort);
  try {
    const t0 = Date.now();
    await until(
      "the backfill",
      10 * 60_000,
      async () => (await db.pipelineSync.count({ where: { backfillDone: true } })) >= all.length,
      1_000,
    );
    const rows = await db.pipeline.findMany({ select: { id: true, name: true } });
    const idOf = new Map(rows.map((r) => [r.name, r.id]));
    await db.releaseGate.createMany({
      data: gated.map((p) => ({
        pipelineId: idOf.get(p.name) ?? "",
        updatedByLogin: "ada",
        branches: [],
        checkNames: [],
      })),
    });
    say(`synced ${all.length} pipelines in ${((Date.now() - t0) / 1000).toFixed(0)} s; gates on ${gated.length}`);

    const plan = planCommits({ pipelines: o.pipelines, commits: o.commits, seed: o.seed });
    const span = Math.max(...plan.map((c) => c.atMs));
    await control("webhooks", { shuffle: true, shuffleWindowMs: o.shuffleWindowMs });
    const duplicating = setInterval(() => void control("webhooks", { duplicate: 10 }).catch(() => {}), 1_000);
    const random = seededRandom(o.seed + 1);
    const killsAt = o.kills ? [0.2, 0.5, 0.8].map((f) => span * (f + 0.05 * random())) : [];
    const checksDone = new Map<string, number>();
    const started = Date.now();
    const email = "dev@example.com";

    // Discovery: a push to a pipeline the gate does not watch, and CodePipeline's own start of it a moment later.
    const pushes: { pipeline: string; sha: string; executionId: string; storedAt: number | null }[] = [];
    // Polled every 100 ms: the row carries no time of its own insertion.
    const storedAt = async (executionId: string) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        if (await db.execution.findFirst({ where: { executionId }, select: { id: true } })) return Date.now();
        await sleep(100);
      }
      return null;
    };
    const watching: Promise<void>[] = [];
    const discovering = (async () => {
      for (const [i, p] of discover.entries()) {
        await sleep((span / Math.max(1, discover.length)) * (0.5 + 0.5 * random()));
        const sha = `d15c${pad(i)}${randomBytes(16).toString("hex")}0`.slice(0, 40);
        await control("commits", {
          repository: p.repository,
          commits: [{ sha, message: "change", author: { name: "Dev", email, date: new Date().toISOString() } }],
        });
        await sleep(300);
        const push = {
          pipeline: p.name,
          sha,
          executionId: await startAt(sandbox, p.name, sha),
          storedAt: null as number | null,
        };
        pushes.push(push);
        watching.push(storedAt(push.executionId).then((at) => void (push.storedAt = at)));
      }
    })();
    const killing = (async () => {
      for (const at of killsAt) {
        await sleep(Math.max(0, started + at - Date.now()));
        await receiver.killAndRestart(1_000);
        say(`killed the receiving process (${receiver.kills})`);
      }
    })();

    await Promise.all(
      plan.map(async (commit) => {
        await sleep(Math.max(0, started + commit.atMs - Date.now()));
        const repository = gated[commit.pipeline]!.repository;
        await control("commits", {
          repository,
          commits: [
            {
              sha: commit.sha,
              message: `change ${commit.sha.slice(0, 7)}`,
              author: { name: "Dev", email, date: new Date(started + commit.atMs).toISOString() },
            },
          ],
        });
        // The checks' jobs are timed from here: none completes before this moment plus its delay.
        const sent = Date.now();
        await control("workflows", { repository, sha: commit.sha, head_branch: "main", checks: commit.checks });
        checksDone.set(commit.sha, sent + lastCheckMs(commit));
      }),
    );
    await Promise.all([discovering, killing]);
    await Promise.all(watching);
    clearInterval(duplicating);
    say(`pushed ${plan.length} commits in ${((Date.now() - started) / 1000).toFixed(0)} s; settling…`);

    // Settle: every delivery GitHub sent is finished, and every commit of the gates is decided.
    const finished = async () => {
      const done = await db.gitHubDelivery.findMany({
        where: { state: { in: ["done", "ignored"] } },
        select: { id: true },
      });
      return new Set(done.map((d) => d.id));
    };
    const sentGuids = async () => {
      const log = await control<{ deliveries: { guid: string; app: string | null }[] }>("webhooks");
      return log.deliveries.map((d) => d.guid);
    };
    await until(
      "the deliveries and the gates",
      150_000,
      async () => {
        const open = await db.gateCommit.count({ where: { state: { in: ["waiting", "green", "releasing"] } } });
        return open === 0 && lostDeliveries(await sentGuids(), await finished()).length === 0;
      },
      2_000,
    ).catch((error: unknown) => say(String(error)));

    // Approvals: each approval pipeline's first execution (its creation's) waits at the approval; once its run is
    // on GitHub with its buttons, ada clicks Approve there.
    const approvals: { pipeline: string; clickAt: number | null; decidedAt: number | null }[] = [];
    if (approving.length > 0) {
      type Run = { id: number; name: string; actions: { identifier: string }[] };
      const runs = new Map<string, Run>();
      const pipelineOf = (run: Run) => run.name.split(" · ")[1] ?? "";
      await until(
        "the approvals' check runs",
        120_000,
        async () => {
          for (const run of await control<Run[]>("checks"))
            if (run.name.startsWith("Approval · ") && run.actions.some((a) => a.identifier === "approve"))
              runs.set(pipelineOf(run), run);
          return runs.size >= approving.length;
        },
        1_000,
      ).catch(async (error: unknown) => {
        const waiting = await db.approval.count({ where: { status: "Pending" } });
        say(`${String(error)}: ${waiting} approvals pending in Postgres`);
      });
      for (const [pipeline, run] of runs) {
        const repository = approving.find((p) => p.name === pipeline)?.repository;
        if (!repository) continue;
        await control("check-runs/requested-action", {
          repository,
          check_run_id: run.id,
          identifier: "approve",
          login: "ada",
        });
        approvals.push({ pipeline, clickAt: null, decidedAt: null });
        const click = () =>
          webhookTap.deliveries.find(
            (d) =>
              d.action === "requested_action" &&
              (d.payload as { check_run?: { id?: number } } | null)?.check_run?.id === run.id,
          );
        const put = () =>
          sandboxTap.calls.find((c) => c.operation === "PutApprovalResult" && c.input.pipelineName === pipeline);
        await until("the decision", 15_000, () => Promise.resolve(!!put()), 100).catch(() => {});
        const entry = approvals.at(-1)!;
        entry.clickAt = click()?.at ?? null;
        entry.decidedAt = put()?.at ?? null;
      }
      const clicks = await db.gitHubRequestedAction.findMany({ select: { state: true, result: true, outcome: true } });
      if (clicks.some((c) => c.result !== "succeeded")) say(`clicks: ${JSON.stringify(clicks.slice(0, 5))}`);
    }

    // Discovery times: the push's first delivery reaching the receiver, to the execution stored.
    const discoveryMs: number[] = [];
    let discoveryMissed = 0;
    for (const push of pushes) {
      const delivery = webhookTap.deliveries.find(
        (d) => d.event === "push" && JSON.stringify(d.payload).includes(push.sha),
      );
      if (!delivery || push.storedAt === null) discoveryMissed++;
      else discoveryMs.push(push.storedAt - delivery.at);
    }

    const order = new Map<number, number>();
    const commits: OracleCommit[] = plan.map((c) => {
      const position = order.get(c.pipeline) ?? 0;
      order.set(c.pipeline, position + 1);
      return {
        pipeline: gated[c.pipeline]!.name,
        sha: c.sha,
        order: position,
        green: isGreen(c),
        checksDoneAt: checksDone.get(c.sha) ?? Number.POSITIVE_INFINITY,
      };
    });
    const gatedNames = new Set(gated.map((p) => p.name));
    const starts = sandboxTap.calls
      .filter((c) => c.operation === "StartPipelineExecution" && gatedNames.has(String(c.input.name)))
      .map((c) => ({
        pipeline: String(c.input.name),
        sha: String((c.input.sourceRevisions as { revisionValue?: string }[] | undefined)?.[0]?.revisionValue ?? ""),
        at: c.at,
      }));
    const verdict = judgeGate(commits, starts);
    for (const missed of verdict.missed.slice(0, 5)) {
      const [pipeline = "", sha = ""] = missed.split("@");
      const row = await db.gateCommit.findFirst({
        where: { sha, pipelineId: idOf.get(pipeline) ?? "" },
        select: { state: true, verdict: true, lastError: true, supersededBy: true },
      });
      say(`missed ${missed}: ${JSON.stringify(row)}`);
    }

    // The same latency from the last check's completion as delivered to the receiver (GitHub's side left out).
    const firstDelivered = new Map<string, number>();
    for (const d of webhookTap.deliveries) {
      if (d.event !== "check_run" || d.action !== "completed") continue;
      const run = (d.payload as { check_run?: { head_sha?: string; name?: string; app?: { id?: number } } } | null)
        ?.check_run;
      if (run?.app?.id === APP_ID) continue; // the gate's own run, completed once it released
      const k = `${run?.head_sha ?? ""} ${run?.name ?? ""}`;
      if (!firstDelivered.has(k)) firstDelivered.set(k, d.at);
    }
    const lastDelivered = new Map<string, number>();
    for (const [k, at] of firstDelivered) {
      const sha = k.split(" ")[0] ?? "";
      lastDelivered.set(sha, Math.max(lastDelivered.get(sha) ?? 0, at));
    }
    const firstStart = new Map<string, number>();
    for (const s of starts) if (!firstStart.has(s.sha)) firstStart.set(s.sha, s.at);
    const fromDeliveryMs = [...firstStart.entries()]
      .filter(([sha]) => lastDelivered.has(sha))
      .map(([sha, at]) => at - (lastDelivered.get(sha) ?? at));

    const lost = lostDeliveries(await sentGuids(), await finished());
    return {
      verdict,
      fromDeliveryMs,
      discoveryMs,
      discoveryMissed,
      approvalMs: approvals.filter((a) => a.clickAt && a.decidedAt).map((a) => a.decidedAt! - a.clickAt!),
      approvalMissed: approving.length - approvals.filter((a) => a.clickAt && a.decidedAt).length,
      sent: new Set(await sentGuids()).size,
      lost,
      kills: receiver.kills,
    };
  } catch (error) {
    say(receiver.output().slice(-3000));
    throw error;
  } finally {
    await receiver.stop().catch(() => {});
    await standIn.stop().catch(() => {});
    await webhookTap.stop();
    await sandboxTap.stop();
    await sandbox.stop();
  }
}
