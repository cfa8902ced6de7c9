import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInAccountId, standInControl } from "@/lib/server/testing/github-user";
import {
  createApprovalPipeline,
  createControlFixture,
  nextApproval,
  type ControlFixture,
} from "@/lib/server/control/testing/control-fixture";
import type * as Receive from "./receive";
import type * as Deliveries from "./process-deliveries";
import type * as Clicks from "./requested-actions";
import type * as Enqueue from "@/lib/server/writeback/enqueue";
import type * as Loop from "@/lib/server/writeback/writeback-loop";
import type * as Wakeable from "@/lib/server/jobs/wakeable-loop";

// Approving from GitHub end to end, with nothing replaced: the approval's check run is written to the GitHub stand-in
// by the outbox, a click on its button arrives as a signed `check_run` delivery at Stageboard's receiver, is recorded
// in the delivery's transaction, then decided through the dashboard's own decision path with the clicker's
// permission read through the App's installation, and PutApprovalResult reaches the CodePipeline sandbox. The run's
// output is read back from the stand-in.
const APP_ID = 330003;
const BASE = "https://stageboard.example.com";
const SECRET = "test-webhook-secret";
const PIPELINE = "web-app-clicks";
const quiet = { warn: () => {}, error: () => {}, info: () => {} };

let cf: ControlFixture;
let receive: typeof Receive;
let deliveries: typeof Deliveries;
let clicks: typeof Clicks;
let enqueue: typeof Enqueue;
let loop: typeof Loop;
let wakeable: typeof Wakeable;
let pipelineId = "";
const used = new Set<string>();

type StandInRun = {
  id: number;
  sha: string;
  name: string;
  appId: number;
  externalId: string | null;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string; text?: string };
  actions: { label: string; description: string; identifier: string }[];
};

const db = () => cf.f.database.db;
/** A summary as GitHub shows it: Markdown's escapes undone. */
const plain = (summary: string | undefined) => (summary ?? "").replace(/\\(.)/g, "$1");

beforeAll(async () => {
  cf = await createControlFixture({
    pipelines: 4,
    logins: ["ada"],
    app: {
      id: APP_ID,
      name: "Stageboard (clicks test)",
      slug: "stageboard-clicks-test",
      installations: [{ id: 530003, account: "acme" }],
    },
  });
  // grace writes acme/web-app too, for two approvals.
  await standInControl(cf.standIn.url, "grants", { login: "grace", repository: "acme/web-app", permission: "write" });
  receive = await import("./receive");
  deliveries = await import("./process-deliveries");
  clicks = await import("./requested-actions");
  enqueue = await import("@/lib/server/writeback/enqueue");
  loop = await import("@/lib/server/writeback/writeback-loop");
  wakeable = await import("@/lib/server/jobs/wakeable-loop");
  pipelineId = await createApprovalPipeline(cf, PIPELINE, "web-app-staging");
  // A first look by a signed-in person pins the repositories' ids, which the stored policy is keyed by.
  await cf.viewer("ada");
}, 120_000);
afterAll(async () => cf?.close());

/** The execution's reports mapped as stored now and sent to the stand-in. */
async function report(executionId: string) {
  await db().$transaction((tx) => enqueue.enqueueExecutions(tx, [{ pipelineId, executionId }], { baseUrl: BASE }));
  await loop.writebackOnce({ db: db(), logger: quiet, baseUrl: BASE, appConfigured: () => Promise.resolve(true) });
}

const runsOf = async (executionId: string) =>
  (await standInControl<StandInRun[]>(cf.standIn.url, "checks"))
    .filter((r) => r.externalId === executionId)
    .sort((a, b) => a.id - b.id);
const approvalRun = async (executionId: string) => {
  const run = (await runsOf(executionId)).find((r) => r.name.startsWith("Approval · "));
  if (!run) throw new Error(`no approval run for ${executionId}`);
  return run;
};

/** A new execution's pending approval whose change is authored by `authors` (account ids), reported on GitHub. */
async function waitingApproval(authors: (bigint | null)[] = [null]) {
  const approval = await nextApproval(cf, PIPELINE, pipelineId, used);
  const executionId = approval.executionId ?? "";
  await db().executionCommits.create({
    data: {
      pipelineId,
      executionId,
      stageName: approval.stageName,
      commits: {
        v: 1,
        commits: authors.map((id, i) => ({
          sha: `abc${i}234aaaa`,
          message: "change",
          url: null,
          authorLogin: null,
          authorName: "someone",
          authorGithubId: id?.toString() ?? null,
        })),
      },
    },
  });
  await report(executionId);
  return { approval, executionId, run: await approvalRun(executionId) };
}

const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

/** A `check_run` delivery as GitHub sends it, posted to Stageboard's receiver. */
async function deliver(
  run: StandInRun,
  login: string,
  options: { action?: string; identifier?: string; appId?: number; deliveryId?: string } = {},
) {
  const action = options.action ?? "requested_action";
  const body = JSON.stringify({
    action,
    check_run: {
      id: run.id,
      name: run.name,
      head_sha: run.sha,
      external_id: run.externalId,
      status: run.status,
      conclusion: run.conclusion,
      app: { id: options.appId ?? run.appId },
    },
    ...(action === "requested_action" ? { requested_action: { identifier: options.identifier ?? "approve" } } : {}),
    repository: { full_name: "acme/web-app" },
    installation: { id: 530003 },
    sender: { id: await standInAccountId(cf.standIn.url, login), login },
  });
  const deliveryId = options.deliveryId ?? randomUUID();
  const headers = new Headers({
    "content-type": "application/json",
    "x-github-event": "check_run",
    "x-github-delivery": deliveryId,
    "x-hub-signature-256": sign(body),
  });
  const answer = await receive.receiveWebhook({ db: db(), logger: quiet, secret: SECRET, headers, body });
  return { answer, deliveryId };
}

/** What the processes do after the delivery is stored: the delivery's transaction, then the click. */
async function processAll() {
  await deliveries.processDeliveries({ db: db(), logger: quiet });
  await clicks.processClicks({ db: db(), logger: quiet, baseUrl: BASE });
}

async function clickAndReport(run: StandInRun, login: string, identifier = "approve") {
  const sent = await deliver(run, login, { identifier });
  expect(sent.answer.status).toBe(202);
  await processAll();
  await report(run.externalId ?? "");
  return sent;
}

const puts = () => cf.awsCalls("PutApprovalResult");

async function setApprovalPolicy(approvals: { requiredApprovals?: number; requireApproveComment?: boolean } | null) {
  const repository = await db().repository.findFirstOrThrow({ where: { fullName: "acme/web-app" } });
  const key = { repositoryGithubId: repository.githubId ?? 0n, pipelineId, stageName: "" };
  await db().policyOverride.deleteMany({ where: key });
  if (approvals)
    await db().policyOverride.create({
      data: { ...key, settings: { v: 1, override: { approvals } }, updatedByLogin: "ada" },
    });
}

describe("approving from GitHub", () => {
  it("offers Approve and Reject while the approval waits; ada's click approves it in AWS, named in the audit and on the run", async () => {
    const { approval, executionId, run } = await waitingApproval();
    expect(run).toMatchObject({ status: "completed", conclusion: "action_required", appId: APP_ID });
    expect(run.actions.map((a) => a.identifier)).toEqual(["approve", "reject"]);
    for (const a of run.actions) {
      expect(a.label.length).toBeLessThanOrEqual(20);
      expect(a.description.length).toBeLessThanOrEqual(40);
    }
    const before = await puts();
    const { deliveryId } = await clickAndReport(run, "ada");
    expect(await puts()).toBe(before + 1);
    expect(await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "Approved",
      decidedBy: "ada",
    });
    const audit = await db().auditEntry.findMany({
      where: { requestId: `github-${deliveryId}` },
      orderBy: { id: "asc" },
    });
    expect(audit.map((a) => [a.entry, a.actorLogin, a.outcome, a.comment])).toEqual([
      ["attempt", "ada", "attempted", "Approved on GitHub by @ada"],
      ["outcome", "ada", "succeeded", "Approved on GitHub by @ada"],
    ]);
    expect(audit[0]?.parameters).toMatchObject({ source: "github", decision: "approve" });
    const after = await approvalRun(executionId);
    expect(after).toMatchObject({ id: run.id, conclusion: "success" });
    expect(after.actions).toEqual([]);
    expect(plain(after.output.summary)).toContain("Approved on GitHub by @ada");
  });

  it("rejects with Reject: the stage fails in AWS, with where the decision came from", async () => {
    const { approval, executionId, run } = await waitingApproval();
    const before = await puts();
    await clickAndReport(run, "ada", "reject");
    expect(await puts()).toBe(before + 1);
    expect(await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "Rejected",
      summary: "Rejected by @ada via Stageboard: Rejected on GitHub by @ada",
    });
    const after = await approvalRun(executionId);
    expect(after).toMatchObject({ conclusion: "failure", actions: [] });
    expect(plain(after.output.summary)).toContain("Rejected on GitHub by @ada");
  });

  it("refuses linus, who only reads, before AWS, and the run says why", async () => {
    const { approval, executionId, run } = await waitingApproval();
    const before = await puts();
    await clickAndReport(run, "linus");
    expect(await puts()).toBe(before);
    expect((await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe("Pending");
    const after = await approvalRun(executionId);
    expect(after.conclusion).toBe("action_required");
    expect(after.actions).toHaveLength(2);
    expect(plain(after.output.summary)).toContain("@linus needs write on acme/web-app; they have read");
  });

  it("refuses a self-approval: ada wrote a commit of the change", async () => {
    const ada = BigInt(await standInAccountId(cf.standIn.url, "ada"));
    const { executionId, run } = await waitingApproval([ada]);
    const before = await puts();
    await clickAndReport(run, "ada");
    expect(await puts()).toBe(before);
    expect(plain((await approvalRun(executionId)).output.summary)).toContain(
      "@ada wrote a commit in this change (abc0234)",
    );
  });

  it("with two required approvals, records the first click and sends with the second", async () => {
    await setApprovalPolicy({ requiredApprovals: 2 });
    try {
      const { approval, executionId, run } = await waitingApproval();
      const before = await puts();
      await clickAndReport(run, "ada");
      expect(await puts()).toBe(before);
      expect(plain((await approvalRun(executionId)).output.summary)).toContain(
        "Approval by @ada on GitHub recorded; 1 more approval needed",
      );
      await clickAndReport(run, "grace");
      expect(await puts()).toBe(before + 1);
      expect((await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe("Approved");
      expect(plain((await approvalRun(executionId)).output.summary)).toContain("Approved on GitHub by @grace");
    } finally {
      await setApprovalPolicy(null);
    }
  });

  it("sends the clicker to Stageboard when the policy requires a written comment", async () => {
    await setApprovalPolicy({ requireApproveComment: true });
    try {
      const { executionId, run } = await waitingApproval();
      const before = await puts();
      await clickAndReport(run, "ada");
      expect(await puts()).toBe(before);
      expect(plain((await approvalRun(executionId)).output.summary)).toContain(
        `write your comment on Stageboard: ${BASE}/pipelines/${pipelineId}/executions/${executionId}`,
      );
    } finally {
      await setApprovalPolicy(null);
    }
  });

  it("does a click delivered twice once, and ignores a run of another App", async () => {
    const { run } = await waitingApproval();
    const before = await puts();
    const first = await deliver(run, "ada");
    const again = await deliver(run, "ada", { deliveryId: first.deliveryId });
    expect([first.answer.status, again.answer.status]).toEqual([202, 200]);
    await processAll();
    // The delivery processed once more (a crash before its mark was kept) records no second click.
    await db().gitHubDelivery.update({
      where: { id: first.deliveryId },
      data: { state: "pending", nextAttemptAt: new Date(0) },
    });
    await processAll();
    expect(await db().gitHubRequestedAction.count({ where: { deliveryId: first.deliveryId } })).toBe(1);
    expect(await puts()).toBe(before + 1);

    const other = await waitingApproval();
    const foreign = await deliver(other.run, "ada", { appId: APP_ID + 1 });
    await processAll();
    expect(await db().gitHubDelivery.findUniqueOrThrow({ where: { id: foreign.deliveryId } })).toMatchObject({
      state: "ignored",
      lastError: "a check run of another App",
    });
    expect(await db().gitHubRequestedAction.count({ where: { deliveryId: foreign.deliveryId } })).toBe(0);
    expect(await puts()).toBe(before + 1);
  });

  it("answers a click recorded before a crash, when the loop starts again", async () => {
    const { approval, executionId, run } = await waitingApproval();
    const ada = BigInt(await standInAccountId(cf.standIn.url, "ada"));
    // As the delivery's transaction left it: the click recorded, its delivery marked done, nothing sent.
    await db().gitHubRequestedAction.create({
      data: {
        deliveryId: randomUUID(),
        kind: "approve",
        senderGithubId: ada,
        senderLogin: "ada",
        installationId: 530003n,
        repository: "acme/web-app",
        checkRunId: BigInt(run.id),
        pipelineId,
        executionId,
        stageName: approval.stageName,
      },
    });
    const before = await puts();
    const started = wakeable.startWakeableLoop({
      name: "GitHub check run clicks",
      logger: quiet,
      tickMs: 50,
      pass: () => clicks.processClicks({ db: db(), logger: quiet, baseUrl: BASE }),
    });
    try {
      await expect
        .poll(async () => (await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).status, {
          timeout: 20_000,
        })
        .toBe("Approved");
    } finally {
      await started.stop();
    }
    expect(await puts()).toBe(before + 1);
  });
});

describe("re-running from GitHub", () => {
  it("retries the failed stage of a failed execution when its run is re-run", async () => {
    const name = "web-app-reruns";
    const id = await createApprovalPipeline(cf, name, "web-app-staging");
    const sdk = await import("@aws-sdk/client-codepipeline");
    const { controlClientFor } = await import("@/lib/server/aws/control-client");
    const client = await controlClientFor("sandbox");
    await cf.f.control("scripts", {
      pipeline: name,
      stage: "Build",
      action: "Build",
      durationMs: 30_000,
      outcome: "Failed",
    });
    await client.send(new sdk.StartPipelineExecutionCommand({ name }));
    // Only the newest execution to reach a stage can be retried: wait until none runs, then take the newest.
    const newest = () => db().execution.findFirst({ where: { pipelineId: id }, orderBy: { startTime: "desc" } });
    for (let i = 0; i < 40; i++) {
      const running = await db().execution.count({ where: { pipelineId: id, status: "InProgress" } });
      if (running === 0 && (await newest())?.status === "Failed") break;
      await cf.f.advance(60_000, 30_000, cf.sync);
    }
    const executionId = (await newest())?.executionId ?? "";
    expect((await db().execution.findFirstOrThrow({ where: { pipelineId: id, executionId } })).status).toBe("Failed");
    await db().$transaction((tx) =>
      enqueue.enqueueExecutions(tx, [{ pipelineId: id, executionId }], { baseUrl: BASE }),
    );
    await loop.writebackOnce({ db: db(), logger: quiet, baseUrl: BASE, appConfigured: () => Promise.resolve(true) });
    const run = (await runsOf(executionId)).find((r) => r.name.startsWith("CodePipeline · "));
    if (!run) throw new Error("no execution run");
    expect(run.conclusion).toBe("failure");

    // linus reads only: refused, and the run says so.
    const retries = () => cf.awsCalls("RetryStageExecution");
    const before = await retries();
    await deliver(run, "linus", { action: "rerequested" });
    await processAll();
    expect(await retries()).toBe(before);
    await db().$transaction((tx) =>
      enqueue.enqueueExecutions(tx, [{ pipelineId: id, executionId }], { baseUrl: BASE }),
    );
    await loop.writebackOnce({ db: db(), logger: quiet, baseUrl: BASE, appConfigured: () => Promise.resolve(true) });
    expect(plain((await runsOf(executionId)).find((r) => r.id === run.id)?.output.summary)).toContain(
      "@linus needs write on acme/web-app; they have read",
    );

    await cf.f.control("scripts", {
      pipeline: name,
      stage: "Build",
      action: "Build",
      durationMs: 30_000,
      outcome: "Succeeded",
    });
    const { deliveryId } = await deliver(run, "ada", { action: "rerequested" });
    await processAll();
    expect(await retries()).toBe(before + 1);
    expect(await db().gitHubRequestedAction.findUniqueOrThrow({ where: { deliveryId } })).toMatchObject({
      kind: "retry",
      stageName: "Build",
      result: "succeeded",
      outcome: "Retried by @ada on GitHub: the failed actions of Build",
    });
    const audit = await db().auditEntry.findMany({ where: { requestId: `github-${deliveryId}` } });
    expect(audit.map((a) => [a.action, a.actorLogin, a.outcome])).toEqual([
      ["retry-stage", "ada", "attempted"],
      ["retry-stage", "ada", "succeeded"],
    ]);
  });
});
