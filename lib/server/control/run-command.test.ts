import { DisableStageTransitionCommand, EnableStageTransitionCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type * as RunCommand from "./run-command";
import type * as Budget from "./command-budget";
import { createControlFixture, type ControlFixture } from "./testing/control-fixture";

// runCommand against the real parts: the GitHub stand-in asked for the permission with each person's own
// token, the sandbox reached through the app's control client, the audit log and the sync request in
// Postgres. ada administers acme/*, linus reads acme/web-app, grace reaches nothing of acme.
let cf: ControlFixture;
let run: typeof RunCommand;
let budget: typeof Budget;
let pipelineId = "";

beforeAll(async () => {
  cf = await createControlFixture();
  run = await import("./run-command");
  budget = await import("./command-budget");
  pipelineId = (await cf.f.database.db.pipeline.findFirstOrThrow({ where: { name: "web-app-staging" } })).id;
});
afterAll(async () => cf?.close());

const disable = (reason: string) => async (ctx: Parameters<RunCommand.Send>[0]) => {
  const out = await ctx.client.send(
    new DisableStageTransitionCommand({
      pipelineName: ctx.pipeline.name,
      stageName: "Build",
      transitionType: "Inbound",
      reason,
    }),
  );
  return { awsRequestId: out.$metadata.requestId ?? null, message: "Transition disabled" };
};

const command = async (login: string, requestId: string) => ({
  viewer: await cf.viewer(login),
  requestId,
  pipelineId,
  kind: "disable-transition" as const,
  stageName: "Build",
  params: { reason: "freeze" },
  comment: "freeze",
});

const deps = () => ({ db: cf.f.database.db });

const entries = (requestId: string) =>
  cf.f.database.db.auditEntry.findMany({ where: { requestId }, orderBy: { id: "asc" } });

describe("runCommand", () => {
  it("sends an allowed command, audits attempt and outcome, and asks for a re-sync", async () => {
    await cf.f.database.db.pipelineSync.update({ where: { pipelineId }, data: { requestedAt: null } });
    const before = await cf.awsCalls("DisableStageTransition");
    const outcome = await run.runCommand(await command("ada", "req-ada"), disable("freeze"), deps());
    expect(outcome).toMatchObject({ result: "sent", message: "Transition disabled" });
    expect(await cf.awsCalls("DisableStageTransition")).toBe(before + 1);
    const rows = await entries("req-ada");
    expect(rows.map((r) => [r.entry, r.outcome])).toEqual([
      ["attempt", "attempted"],
      ["outcome", "succeeded"],
    ]);
    expect(rows[1]?.attemptId).toBe(rows[0]?.id);
    expect(String(rows[1]?.id)).toBe(outcome.auditId);
    expect(rows[0]).toMatchObject({
      actorLogin: "ada",
      repository: "acme/web-app",
      stageName: "Build",
      comment: "freeze",
    });
    const sync = await cf.f.database.db.pipelineSync.findUniqueOrThrow({ where: { pipelineId } });
    expect(sync.requestedAt).not.toBeNull();
    expect(sync.pipelineEventPending).toBe(true);
    const client = await (await import("@/lib/server/aws/control-client")).controlClientFor("sandbox");
    await client.send(
      new EnableStageTransitionCommand({
        pipelineName: "web-app-staging",
        stageName: "Build",
        transitionType: "Inbound",
      }),
    );
  });

  it("refuses a reader with the reason, audited, without calling AWS", async () => {
    const before = await cf.awsCalls("DisableStageTransition");
    await expect(run.runCommand(await command("linus", "req-linus"), disable("x"), deps())).rejects.toMatchObject({
      code: "forbidden",
      message: "needs maintain on acme/web-app; you have read",
    });
    expect(await cf.awsCalls("DisableStageTransition")).toBe(before);
    const rows = await entries("req-linus");
    expect(rows.map((r) => [r.entry, r.outcome, r.error])).toEqual([
      ["refusal", "refused", "needs maintain on acme/web-app; you have read"],
    ]);
  });

  it("answers 404 for a pipeline the viewer cannot see, and records nothing", async () => {
    await expect(run.runCommand(await command("grace", "req-grace"), disable("x"), deps())).rejects.toMatchObject({
      code: "not_found",
    });
    expect(await entries("req-grace")).toEqual([]);
  });

  it("reads the permission from GitHub now, not from the cached list", async () => {
    const input = await command("ada", "req-demoted");
    // The cached list still says admin; GitHub now says read.
    await fetch(`${cf.standIn.url}/_stand-in/grants`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ login: "ada", repository: "acme/web-app", permission: "read" }),
    });
    try {
      await expect(run.runCommand(input, disable("x"), deps())).rejects.toMatchObject({
        message: "needs maintain on acme/web-app; you have read",
      });
    } finally {
      await fetch(`${cf.standIn.url}/_stand-in/grants`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ login: "ada", repository: "acme/web-app", permission: "admin" }),
      });
    }
  });

  it("fails closed when GitHub cannot answer: 503, nothing sent", async () => {
    const input = await command("ada", "req-outage");
    const before = await cf.awsCalls("DisableStageTransition");
    const outage = (down: boolean) =>
      fetch(`${cf.standIn.url}/_stand-in/outage`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ down }),
      });
    await outage(true);
    try {
      await expect(run.runCommand(input, disable("x"), deps())).rejects.toMatchObject({ code: "service_unavailable" });
    } finally {
      await outage(false);
    }
    expect(await cf.awsCalls("DisableStageTransition")).toBe(before);
    expect(await entries("req-outage")).toEqual([]);
  });

  it("records what AWS refused as a failed outcome, worded for the person", async () => {
    const input = { ...(await command("ada", "req-aws")), stageName: "NoSuchStage" };
    const send = async (ctx: Parameters<RunCommand.Send>[0]) => {
      await ctx.client.send(
        new DisableStageTransitionCommand({
          pipelineName: ctx.pipeline.name,
          stageName: "NoSuchStage",
          transitionType: "Inbound",
          reason: "x",
        }),
      );
      return { awsRequestId: null, message: "never" };
    };
    const error = await run.runCommand(input, send, deps()).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError" });
    const rows = await entries("req-aws");
    expect(rows.map((r) => [r.entry, r.outcome])).toEqual([
      ["attempt", "attempted"],
      ["outcome", "failed"],
    ]);
    expect(rows[1]?.error).toBe((error as Error).message);
  });

  it("limits each person's commands per minute, counting concurrent ones exactly", async () => {
    const db = cf.f.database.db;
    const now = Date.now();
    const decisions = await Promise.all(
      Array.from({ length: 8 }, () => budget.consumeCommandBudget(db, "budget-user", 5, now)),
    );
    expect(decisions.filter((d) => d.kind === "allowed")).toHaveLength(5);
    expect(decisions.find((d) => d.kind === "limited")).toMatchObject({ limit: 5, retryAfterSeconds: 60 });
    // A new window starts over.
    expect(await budget.consumeCommandBudget(db, "budget-user", 5, now + 61_000)).toEqual({ kind: "allowed" });
  });

  it("lets a repository admin change the policy, audited with before and after, and refuses a reader", async () => {
    const { updatePolicy } = await import("./policy/update-policy");
    const db = cf.f.database.db;
    const update = { pipelineId, stageName: null, override: { approvals: { requiredApprovals: 2 } } };
    await updatePolicy(await cf.viewer("ada"), "acme/web-app", update, "req-policy", { db });
    const row = await db.policyOverride.findFirstOrThrow({ where: { pipelineId } });
    expect(row.settings).toEqual({ v: 1, override: { approvals: { requiredApprovals: 2 } } });
    const entry = await db.auditEntry.findFirstOrThrow({ where: { requestId: "req-policy" } });
    expect(entry).toMatchObject({ entry: "policy-change", actorLogin: "ada", pipelineName: "web-app-staging" });
    expect(entry.parameters).toEqual({ before: null, after: { approvals: { requiredApprovals: 2 } } });
    await expect(
      updatePolicy(await cf.viewer("linus"), "acme/web-app", update, "req-policy-2", { db }),
    ).rejects.toMatchObject({
      code: "forbidden",
      message: "changing the policy needs admin on acme/web-app; you have read",
    });
    await updatePolicy(await cf.viewer("ada"), "acme/web-app", { ...update, override: {} }, "req-policy-3", { db });
    expect(await db.policyOverride.count({ where: { pipelineId } })).toBe(0);
  });
});
