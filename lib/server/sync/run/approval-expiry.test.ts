// Manual approvals nobody answers, end to end: the sandbox's CodePipeline lets them time out on its clock,
// the sync engine stores them in PostgreSQL with its triggers (console-decision audit, change feed), and the
// notification consumer reads that feed. An expiry must come out as Expired, with what the declaration showed
// the reviewer, and neither as a console decision nor as a notice.
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineCommand,
  type ExecutionMode,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { consumeChanges } from "@/lib/server/feed/consumer";
import { enqueueDeliveries } from "@/lib/server/notify/enqueue";
import { readNotice } from "@/lib/server/notify/notice";
import { createFixture, type Fixture } from "../testing/fixture";

const CUSTOM_DATA = "Ship build 42 to production?\nChecklist: migrations reviewed, on-call told.";
const REVIEW_LINK = "https://example.com/acme/web-app/releases/42";
const CONSUMER = "approval-expiry-test";
const MINUTE = 60_000;

let f: Fixture;
let client: CodePipelineClient;
let webhookId = "";

/** A pipeline of its own (no simulated reviewer answers it): the source of web-app-staging, then one approval. */
async function createGatedPipeline(name: string, mode: ExecutionMode, timeoutInMinutes: number): Promise<string> {
  const { pipeline } = await client.send(new GetPipelineCommand({ name: "web-app-staging" }));
  const source = pipeline?.stages?.[0];
  if (!pipeline || !source) throw new Error("no web-app-staging in the sandbox");
  await client.send(
    new CreatePipelineCommand({
      pipeline: {
        ...pipeline,
        name,
        pipelineType: "V2",
        executionMode: mode,
        stages: [
          source,
          {
            name: "Gate",
            actions: [
              {
                name: "Release",
                actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
                timeoutInMinutes,
                configuration: { CustomData: CUSTOM_DATA, ExternalEntityLink: REVIEW_LINK },
              },
            ],
          },
          {
            name: "Deploy",
            actions: [
              {
                name: "Deploy",
                actionTypeId: { category: "Build", owner: "AWS", provider: "CodeBuild", version: "1" },
                configuration: { ProjectName: "deploy" },
                inputArtifacts: [{ name: source.actions?.[0]?.outputArtifacts?.[0]?.name ?? "SourceArtifact" }],
              },
            ],
          },
        ],
      },
    }),
  );
  await f.database.db.target.updateMany({ data: { nextDiscoveryAt: new Date(0) } });
  await f.drain();
  return (await f.database.db.pipeline.findFirstOrThrow({ where: { name } })).id;
}

/** Lets the execution CreatePipeline starts (as AWS does) run until the sync stored its approval as pending. */
async function pendingApproval(name: string, pipelineId: string) {
  for (let waited = 0; waited < 30 * MINUTE; waited += 15_000) {
    const approval = await f.database.db.approval.findFirst({ where: { pipelineId, status: "Pending" } });
    if (approval) return approval;
    await f.advance(15_000, 15_000);
  }
  throw new Error(`no approval came to wait in ${name}`);
}

/** Reads the change feed as the notifier does, turning its changes into delivery rows (never sent here). */
async function consumeFeed(): Promise<void> {
  for (let round = 0; round < 500; round++) {
    const read = await consumeChanges(
      f.database.db,
      CONSUMER,
      async (tx, changes) => {
        await enqueueDeliveries(tx, changes, "https://stageboard.example.com");
      },
      { limit: 200, origin: "live" },
    );
    // Nothing left below the readable boundary, and nothing committing behind it.
    if (read.kind === "read" && read.count === 0 && !read.held) return;
  }
  throw new Error("the change feed did not run dry");
}

async function approvalEventsOf(pipelineId: string, executionId: string | null): Promise<string[]> {
  const deliveries = await f.database.db.notifyDelivery.findMany({
    where: { webhookId },
    orderBy: { createdAt: "asc" },
  });
  return deliveries.flatMap((d) => {
    const notice = readNotice(d.notice);
    return notice.pipeline?.id === pipelineId && notice.executionId === executionId ? [notice.event] : [];
  });
}

beforeAll(async () => {
  f = await createFixture({ pipelines: 2, historyDays: 1 });
  client = new CodePipelineClient({ region: "us-east-1", endpoint: f.sandbox.url, maxAttempts: 1 });
  await f.drain();
  // The repository's notifications are on for approvals, as a maintainer would set them.
  const repository = await f.database.db.repository.findUniqueOrThrow({ where: { fullName: "acme/web-app" } });
  await f.database.db.repository.update({ where: { id: repository.id }, data: { githubId: 4242n } });
  webhookId = (
    await f.database.db.notifyWebhook.create({
      data: {
        repositoryGithubId: 4242n,
        repositoryName: "acme/web-app",
        format: "json",
        urlSealed: "never-sent",
        urlHint: "example.com",
        events: ["approval.waiting", "approval.decided"],
        createdByLogin: "ada",
      },
    })
  ).id;
  // The consumer starts at the feed's head: only what happens from here on is read.
  await consumeFeed();
});
afterAll(async () => {
  client?.destroy();
  await f?.close();
});

describe.each<[ExecutionMode, string]>([
  ["SUPERSEDED", "token from GetPipelineState"],
  ["PARALLEL", "token from ListActionExecutions"],
])("an approval nobody answers, %s (%s)", (mode) => {
  it("is stored as Expired with its declared CustomData and review link, and is neither audited nor notified", async () => {
    const name = `gated-${mode.toLowerCase()}`;
    const pipelineId = await createGatedPipeline(name, mode, 5);
    const waiting = await pendingApproval(name, pipelineId);
    expect(waiting).toMatchObject({ customData: CUSTOM_DATA, externalEntityLink: REVIEW_LINK });
    expect(waiting.expiresAt!.getTime() - waiting.requestedAt.getTime()).toBe(5 * MINUTE);

    await f.advance(7 * MINUTE, 30_000);
    const expired = await f.database.db.approval.findUniqueOrThrow({ where: { id: waiting.id } });
    const action = await f.database.db.actionExecution.findFirstOrThrow({
      where: { execution: { pipelineId, executionId: waiting.executionId ?? "" }, actionName: "Release" },
    });
    // What AWS (here the sandbox) reported: the approval action failed, with no one as its updater.
    expect(action).toMatchObject({ status: "Failed", updatedBy: null });
    expect(expired).toMatchObject({
      status: "Expired",
      decidedBy: null,
      decidedAt: action.lastUpdateTime,
      customData: CUSTOM_DATA,
      externalEntityLink: REVIEW_LINK,
    });
    expect(expired.decidedAt!.getTime()).toBeGreaterThanOrEqual(waiting.expiresAt!.getTime() - MINUTE);

    expect(await f.database.db.auditEntry.count({ where: { entry: "console-decision", pipelineId } })).toBe(0);
    await consumeFeed();
    // The wait was announced; its end is nobody's decision.
    expect(await approvalEventsOf(pipelineId, waiting.executionId)).toEqual(["approval.waiting"]);
  });
});

describe("an approval stored before its declaration's facts were", () => {
  it("gets the declared CustomData and review link at the next check while it waits, still pending", async () => {
    const name = "gated-slow";
    const pipelineId = await createGatedPipeline(name, "SUPERSEDED", 120);
    const waiting = await pendingApproval(name, pipelineId);
    let row = await f.database.db.approval.update({
      where: { id: waiting.id },
      data: { customData: null, externalEntityLink: null },
    });
    for (let waited = 0; waited < 60 * MINUTE && row.customData === null; waited += MINUTE) {
      await f.advance(MINUTE, MINUTE);
      row = await f.database.db.approval.findUniqueOrThrow({ where: { id: waiting.id } });
    }
    expect(row).toMatchObject({ status: "Pending", customData: CUSTOM_DATA, externalEntityLink: REVIEW_LINK });
    expect(row.expiresAt).toEqual(waiting.expiresAt);
  });
});
