import { ListActionExecutionsCommand, PutApprovalResultCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standInControl } from "@/lib/server/testing/github-user";
import type * as Decide from "./decide";
import {
  createApprovalPipeline,
  createControlFixture,
  nextApproval,
  type ControlFixture,
} from "../testing/control-fixture";

// Approval decisions end to end below the route: the sandbox's real approvals (tokens from GetPipelineState,
// synced by the engine), GitHub's permissions from the stand-in, PutApprovalResult counted by the sandbox.
// The commits of each change are seeded as GitHub's compare would report them (ExecutionCommits), so the
// self-approval rule is exercised with known authors.
let cf: ControlFixture;
let decide: typeof Decide;
const PIPELINE = "web-app-gated";
let pipelineId = "";
const used = new Set<string>();

beforeAll(async () => {
  cf = await createControlFixture({ pipelines: 4 });
  // grace writes acme/web-app too (before her first look, so her cached list has it).
  await standInControl(cf.standIn.url, "grants", { login: "grace", repository: "acme/web-app", permission: "write" });
  // Names as next-auth stores them from GitHub's profile.
  await db().user.update({ where: { id: cf.users.ada }, data: { name: "Ada Lovelace" } });
  await db().user.update({ where: { id: cf.users.grace }, data: { name: "Grace Hopper" } });
  decide = await import("./decide");
  pipelineId = await createApprovalPipeline(cf, PIPELINE, "web-app-staging");
});
afterAll(async () => cf?.close());

const db = () => cf.f.database.db;

/** A new execution's pending approval, its change's commits seeded as GitHub's compare would report them. */
async function pendingApproval(authors: { sha: string; githubId: bigint | null }[] = []) {
  const found = await nextApproval(cf, PIPELINE, pipelineId, used);
  await db().executionCommits.upsert({
    where: {
      pipelineId_executionId_stageName: {
        pipelineId,
        executionId: found.executionId ?? "",
        stageName: found.stageName,
      },
    },
    update: {},
    create: {
      pipelineId,
      executionId: found.executionId ?? "",
      stageName: found.stageName,
      commits: {
        v: 1,
        commits: authors.map((a) => ({
          sha: a.sha,
          message: "change",
          url: null,
          authorLogin: null,
          authorName: "someone",
          authorGithubId: a.githubId?.toString() ?? null,
        })),
      },
    },
  });
  return found;
}

const decision = async (login: string, approvalId: string, d: "approve" | "reject", comment: string) =>
  decide.decideApproval(
    { viewer: await cf.viewer(login), requestId: `req-${login}-${approvalId}-${d}`, approvalId, decision: d, comment },
    { db: db() },
  );

/** The summary AWS recorded on the approval action (ListActionExecutions, as the console shows it). */
async function awsSummary(approvalId: string) {
  const approval = await db().approval.findUniqueOrThrow({ where: { id: approvalId } });
  const client = await (await import("@/lib/server/aws/control-client")).controlClientFor("sandbox");
  const { actionExecutionDetails } = await client.send(
    new ListActionExecutionsCommand({
      pipelineName: PIPELINE,
      filter: { pipelineExecutionId: approval.executionId ?? "" },
    }),
  );
  const action = actionExecutionDetails?.find((a) => a.actionName === approval.actionName);
  return action?.output?.executionResult?.externalExecutionSummary ?? null;
}

describe("approval decisions", () => {
  it("sends exactly one PutApprovalResult naming the person, records it, and the pipeline moves on", async () => {
    const approval = await pendingApproval([{ sha: "abc1234aaaa", githubId: null }]);
    const before = await cf.awsCalls("PutApprovalResult");
    const outcome = await decision("ada", approval.id, "approve", "ship it");
    expect(outcome).toMatchObject({ result: "sent" });
    expect(await cf.awsCalls("PutApprovalResult")).toBe(before + 1);
    expect(await awsSummary(approval.id)).toBe("Approved by @ada (Ada Lovelace) via Stageboard: ship it");
    const stored = await db().approval.findUniqueOrThrow({ where: { id: approval.id } });
    expect(stored).toMatchObject({ status: "Approved", decidedBy: "ada" });
    const audit = await db().auditEntry.findMany({ where: { requestId: `req-ada-${approval.id}-approve` } });
    expect(audit.map((r) => [r.entry, r.action, r.outcome, r.comment])).toEqual([
      ["attempt", "approve", "attempted", "ship it"],
      ["outcome", "approve", "succeeded", "ship it"],
    ]);
    // No console decision is logged for it when the sync settles it.
    await cf.f.drain(cf.sync);
    expect(
      await db().auditEntry.count({ where: { entry: "console-decision", executionId: approval.executionId } }),
    ).toBe(0);
  });

  it("refuses a reader, with the reason, before AWS", async () => {
    const approval = await pendingApproval();
    const before = await cf.awsCalls("PutApprovalResult");
    await expect(decision("linus", approval.id, "approve", "")).rejects.toMatchObject({
      code: "forbidden",
      message: "needs write on acme/web-app; you have read",
    });
    expect(await cf.awsCalls("PutApprovalResult")).toBe(before);
  });

  it("refuses the author of a commit of the change, and who started the execution", async () => {
    const ada = await db().user.findUniqueOrThrow({ where: { id: cf.users.ada } });
    const approval = await pendingApproval([{ sha: "def5678bbbb", githubId: ada.githubId }]);
    await expect(decision("ada", approval.id, "approve", "")).rejects.toMatchObject({
      code: "forbidden",
      message: "you wrote a commit in this change (def5678)",
    });
    const grace = await db().user.findUniqueOrThrow({ where: { id: cf.users.grace } });
    await db().executionStarter.create({
      data: { pipelineId, executionId: approval.executionId ?? "", githubId: grace.githubId, login: "grace" },
    });
    await expect(decision("grace", approval.id, "approve", "")).rejects.toMatchObject({
      message: "you started this execution",
    });
  });

  it("refuses, before AWS, a change with more commits than were read for their authors", async () => {
    const approval = await pendingApproval();
    const commit = { message: "change", url: null, authorLogin: null, authorName: "someone", authorGithubId: null };
    await db().executionCommits.update({
      where: {
        pipelineId_executionId_stageName: {
          pipelineId,
          executionId: approval.executionId ?? "",
          stageName: approval.stageName,
        },
      },
      data: { commits: { v: 2, totalCommits: 1_234, commits: [{ sha: "abc1234cccc", ...commit }] } },
    });
    const before = await cf.awsCalls("PutApprovalResult");
    await expect(decision("ada", approval.id, "approve", "")).rejects.toMatchObject({
      code: "forbidden",
      message: "this change has more commits than Stageboard can check for their authors (it read 1 of 1,234)",
    });
    expect(await cf.awsCalls("PutApprovalResult")).toBe(before);
  });

  it("needs a comment to reject", async () => {
    const approval = await pendingApproval();
    await expect(decision("ada", approval.id, "reject", "  ")).rejects.toMatchObject({
      message: "a comment is required to reject",
    });
  });

  it("with two required approvals, the first leaves it pending and the second sends it", async () => {
    const approval = await pendingApproval();
    const repo = await db().repository.findFirstOrThrow({ where: { fullName: "acme/web-app" } });
    await db().policyOverride.create({
      data: {
        repositoryGithubId: repo.githubId ?? 0n,
        pipelineId,
        stageName: approval.stageName,
        settings: { v: 1, override: { approvals: { requiredApprovals: 2 } } },
        updatedByLogin: "ada",
      },
    });
    try {
      const before = await cf.awsCalls("PutApprovalResult");
      const first = await decision("grace", approval.id, "approve", "lgtm");
      expect(first).toMatchObject({
        result: "recorded",
        message: "Your approval is recorded; 1 more approval needed.",
      });
      expect(await cf.awsCalls("PutApprovalResult")).toBe(before);
      await expect(decision("grace", approval.id, "approve", "again")).rejects.toMatchObject({
        message: "you already approved; 1 more approval needed",
      });
      const second = await decision("ada", approval.id, "approve", "ship it");
      expect(second.result).toBe("sent");
      expect(await cf.awsCalls("PutApprovalResult")).toBe(before + 1);
      expect(await awsSummary(approval.id)).toBe(
        "Approved by @grace (Grace Hopper), @ada (Ada Lovelace) via Stageboard: ship it",
      );
    } finally {
      await db().policyOverride.deleteMany({ where: { pipelineId } });
    }
  });

  it("gives one decision to 20 concurrent requests and tells the others who decided first", async () => {
    const approval = await pendingApproval();
    const before = await cf.awsCalls("PutApprovalResult");
    const [ada, grace] = [await cf.viewer("ada"), await cf.viewer("grace")];
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        decide.decideApproval(
          {
            viewer: i % 2 ? ada : grace,
            requestId: `race-${i}`,
            approvalId: approval.id,
            decision: "approve",
            comment: "",
          },
          { db: db() },
        ),
      ),
    );
    expect(await cf.awsCalls("PutApprovalResult")).toBe(before + 1);
    const sent = results.filter((r) => r.status === "fulfilled");
    expect(sent).toHaveLength(1);
    const decided = await db().approvalDecision.findUniqueOrThrow({ where: { approvalId: approval.id } });
    for (const r of results)
      if (r.status === "rejected") {
        expect(r.reason).toMatchObject({ code: "conflict" });
        expect((r.reason as Error).message).toMatch(new RegExp(`^Already approved by @${decided.login} at `));
      }
  });

  it("refuses an expired approval without calling AWS", async () => {
    const approval = await pendingApproval();
    await db().approval.update({ where: { id: approval.id }, data: { expiresAt: new Date(Date.now() - 60_000) } });
    const before = await cf.awsCalls("PutApprovalResult");
    const error = await decision("ada", approval.id, "approve", "").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "conflict" });
    expect((error as Error).message).toMatch(/^This approval expired at .*; it can no longer be decided\.$/);
    expect(await cf.awsCalls("PutApprovalResult")).toBe(before);
  });

  it("releases the claim when AWS refuses the token, so nothing is recorded as decided", async () => {
    const approval = await pendingApproval();
    await db().approval.update({ where: { id: approval.id }, data: { token: "00000000-0000-0000-0000-000000000000" } });
    const error = await decision("ada", approval.id, "approve", "").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError" });
    expect((error as Error).message).toMatch(/^AWS no longer accepts an answer to this approval/);
    expect(await db().approvalDecision.count({ where: { approvalId: approval.id } })).toBe(0);
    expect(await db().approvalVote.count({ where: { approvalId: approval.id } })).toBe(0);
    expect((await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe("Pending");
  });

  it("says so when the approval was already answered in AWS, and logs that console decision once synced", async () => {
    const approval = await pendingApproval();
    const client = await (await import("@/lib/server/aws/control-client")).controlClientFor("sandbox");
    await client.send(
      new PutApprovalResultCommand({
        pipelineName: PIPELINE,
        stageName: approval.stageName,
        actionName: approval.actionName,
        token: approval.token,
        result: { status: "Rejected", summary: "no from the console" },
      }),
    );
    const error = await decision("ada", approval.id, "approve", "").catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "ApiError" });
    expect(await db().approvalDecision.count({ where: { approvalId: approval.id } })).toBe(0);
    await cf.f.drain(cf.sync);
    const entry = await db().auditEntry.findFirstOrThrow({
      where: { entry: "console-decision", executionId: approval.executionId },
    });
    expect(entry).toMatchObject({ repository: "acme/web-app", comment: "no from the console", pipelineName: PIPELINE });
    expect(entry.parameters).toEqual({ status: "Rejected" });
  });

  it("words throttling and missing IAM permissions for the person, and releases the claim", async () => {
    const approval = await pendingApproval();
    await cf.f.control("faults", { deny: ["PutApprovalResult"] });
    try {
      const error = await decision("ada", approval.id, "approve", "").catch((e: unknown) => e);
      expect(error).toMatchObject({ code: "forbidden" });
      expect((error as Error).message).toContain("codepipeline:PutApprovalResult");
    } finally {
      await fetch(`${cf.f.sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    }
    expect(await db().approvalDecision.count({ where: { approvalId: approval.id } })).toBe(0);
  });

  describe("approval reads", () => {
    it("lists pending approvals for everyone who can see them, with what each may do, decidable first", async () => {
      const approval = await pendingApproval([{ sha: "aaa1111cccc", githubId: null }]);
      const { listInbox } = await import("./list-inbox");
      const ada = await listInbox(await cf.viewer("ada"), { db: db() });
      const mine = ada.data.find((v) => v.id === approval.id);
      expect(mine).toMatchObject({
        pipelineName: PIPELINE,
        repository: "acme/web-app",
        status: "Pending",
        requireApproveComment: false,
      });
      expect(mine?.rights.decide).toEqual({ allowed: true });
      expect(ada.meta.decidable).toBeGreaterThanOrEqual(1);
      const firstRefused = ada.data.findIndex((v) => !v.rights.decide.allowed);
      const lastAllowed = ada.data.map((v) => v.rights.decide.allowed).lastIndexOf(true);
      expect(firstRefused === -1 || firstRefused > lastAllowed).toBe(true);
      const linus = await listInbox(await cf.viewer("linus"), { db: db() });
      expect(linus.data.find((v) => v.id === approval.id)?.rights.decide).toEqual({
        allowed: false,
        reason: "needs write on acme/web-app; you have read",
      });
      expect(linus.meta.decidable).toBe(0);
    });

    it("shows what is being approved, links only http(s), and nothing to those who cannot see the pipeline", async () => {
      const approval = await pendingApproval([{ sha: "bbb2222dddd", githubId: null }]);
      await db().approval.update({
        where: { id: approval.id },
        data: { externalEntityLink: "javascript:alert(1)", customData: "Check the dashboard" },
      });
      const { getApprovalDetail } = await import("./get-approval-detail");
      const detail = await getApprovalDetail(await cf.viewer("linus"), approval.id, { db: db() });
      expect(detail).toMatchObject({
        externalEntityLink: null,
        customData: "Check the dashboard",
        commits: [{ sha: "bbb2222dddd", authorName: "someone", authorLogin: null }],
      });
      expect(detail?.previousStages).toEqual([
        { name: "Source", status: "Succeeded" },
        { name: "Build", status: "Succeeded" },
      ]);
      expect(detail?.expiresAt).not.toBeNull();
      await db().user.update({ where: { id: cf.users.grace }, data: { reposFetchedAt: new Date(0) } });
      await standInControl(cf.standIn.url, "grants", {
        login: "grace",
        repository: "acme/web-app",
        permission: "none",
      });
      expect(await getApprovalDetail(await cf.viewer("grace"), approval.id, { db: db() })).toBeNull();
    });
  });
});
