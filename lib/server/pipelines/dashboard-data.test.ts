import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCursor } from "@/lib/pipelines/cursor";
import type { HistoryFilters } from "@/lib/pipelines/schemas";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { getChangeToken } from "./get-change-token";
import { getExecutionDetail } from "./get-execution-detail";
import { getOverview } from "./get-overview";
import { getPipelineDetail } from "./get-pipeline-detail";
import { getRepositoryOverview } from "./get-repository-overview";
import { historyFilterOptions, listExecutions } from "./list-executions";
import { listStaleTargets } from "./staleness";
import { findVisiblePipeline } from "./visibility";

const NOW = new Date("2026-06-01T12:00:00Z");
const minutes = (m: number) => new Date(NOW.getTime() + m * 60_000);

// GitHub's ids for the repositories below: visibility compares them, not the names.
const GITHUB_IDS: Record<string, bigint> = {
  "acme/web": 101n,
  "acme/api": 102n,
  "other/secret": 103n,
  "acme/held": 104n,
};
const viewer = (repos: string[], isAdmin = false): Viewer => ({
  userId: "u1",
  login: "ada",
  name: null,
  image: null,
  isAdmin,
  fetchedAt: NOW,
  accessError: null,
  repositories: new Map(repos.map((r) => [r, "read" as const])),
  repositoryIds: new Map(repos.map((r) => [r, GITHUB_IDS[r] ?? 0n])),
});
const ada = viewer(["acme/web", "acme/api"]);
const linus = viewer(["acme/api"]);

const liveStage = (
  name: string,
  executionId: string | null,
  status: string,
  patch: Partial<PipelineStateSnapshot["stages"][number]> = {},
) => ({
  name,
  latestExecution: executionId ? { executionId, status, type: null } : null,
  inboundTransition: null,
  inboundExecutions: [],
  actions: [],
  conditions: [],
  retry: null,
  ...patch,
});

let tdb: TestDatabase;
let db: Db;
let webId = "";
let apiId = "";

async function seed() {
  await db.target.create({
    data: { id: "t1", accountId: "111111111111", region: "eu-west-1", lastSuccessAt: minutes(-0.5) },
  });
  await db.target.create({
    data: { id: "t2", accountId: "222222222222", region: "us-east-1", lastSuccessAt: minutes(-60) },
  });
  const repository = (owner: string, name: string) => ({
    fullName: `${owner}/${name}`,
    owner,
    name,
    githubId: GITHUB_IDS[`${owner}/${name}`],
  });
  const web = await db.repository.create({ data: repository("acme", "web") });
  const api = await db.repository.create({ data: repository("acme", "api") });
  await db.repository.create({ data: repository("other", "secret") });
  const state: PipelineStateSnapshot = {
    pipelineVersion: 3,
    created: null,
    updated: null,
    stages: [
      liveStage("Source", "w-run", "Succeeded"),
      liveStage("Build", "w-run", "InProgress", {
        actions: [
          {
            name: "Unit",
            latestExecutionId: "ae1",
            status: "InProgress",
            summary: null,
            lastStatusChange: minutes(-1).toISOString(),
            externalExecutionId: "build:1",
            externalExecutionUrl: "https://console.example/build/1",
            errorCode: null,
            errorMessage: null,
            percentComplete: null,
            hasToken: false,
            revisionId: null,
            revisionUrl: null,
            entityUrl: null,
          },
        ],
      }),
      liveStage("Prod", "w-old", "Succeeded", {
        inboundTransition: {
          enabled: false,
          disabledReason: "Release freeze",
          lastChangedBy: "ada",
          lastChangedAt: minutes(-30).toISOString(),
        },
        inboundExecutions: [{ executionId: "w-held", status: "InProgress", type: null }],
      }),
    ],
  };
  const webPipeline = await db.pipeline.create({
    data: {
      targetId: "t1",
      name: "web-main",
      repositoryId: web.id,
      version: 3,
      pipelineType: "V2",
      executionMode: "QUEUED",
      sourceBranch: "main",
      state: state as unknown as Prisma.InputJsonValue,
      latestExecutionId: "w-run",
      latestStatus: "InProgress",
      latestStartTime: minutes(-5),
    },
  });
  const apiPipeline = await db.pipeline.create({
    data: {
      targetId: "t2",
      name: "api-main",
      repositoryId: api.id,
      version: 1,
      latestExecutionId: "a-0",
      latestStatus: "Failed",
      latestStartTime: minutes(-200),
    },
  });
  await db.pipeline.create({
    data: {
      targetId: "t1",
      name: "secret-main",
      repositoryId: (await db.repository.findUniqueOrThrow({ where: { fullName: "other/secret" } })).id,
      version: 1,
      latestStatus: "Failed",
    },
  });
  webId = webPipeline.id;
  apiId = apiPipeline.id;
  for (const [position, name] of ["Source", "Build", "Prod"].entries()) {
    await db.stage.create({
      data: {
        pipelineId: webId,
        name,
        position,
        transitionEnabled: name !== "Prod",
        disabledReason: name === "Prod" ? "Release freeze" : null,
        disabledBy: name === "Prod" ? "ada" : null,
        disabledAt: name === "Prod" ? minutes(-30) : null,
      },
    });
  }
  await db.action.createMany({
    data: [
      {
        pipelineId: webId,
        stageName: "Source",
        name: "Checkout",
        category: "Source",
        owner: "AWS",
        provider: "CodeStarSourceConnection",
        providerVersion: "1",
        runOrder: 1,
      },
      {
        pipelineId: webId,
        stageName: "Build",
        name: "Unit",
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        providerVersion: "1",
        runOrder: 1,
      },
      {
        pipelineId: webId,
        stageName: "Build",
        name: "Lint",
        category: "Build",
        owner: "AWS",
        provider: "CodeBuild",
        providerVersion: "1",
        runOrder: 1,
      },
      {
        pipelineId: webId,
        stageName: "Prod",
        name: "Deploy",
        category: "Deploy",
        owner: "AWS",
        provider: "ECS",
        providerVersion: "1",
        runOrder: 1,
      },
    ],
  });
  // 7 web executions, two sharing a start time so a page boundary falls between equal keys.
  const starts = [-5, -20, -20, -40, -60, -80, -100];
  for (const [i, m] of starts.entries()) {
    const executionId = i === 0 ? "w-run" : i === 1 ? "w-old" : `w-${i}`;
    await db.execution.create({
      data: {
        pipelineId: webId,
        executionId,
        status: i === 0 ? "InProgress" : i === 3 ? "Failed" : "Succeeded",
        startTime: minutes(m),
        lastUpdateTime: minutes(m + 4),
        completedAt: i === 0 ? null : minutes(m + 4),
        branch: i === 4 ? "feature/x" : "main",
        triggerType: i === 5 ? "StartPipelineExecution" : "Webhook",
        commitSha: `${String(i).repeat(7)}abcdef0123456789abcdef0123456789a`.slice(0, 40),
        commitMessage: `<img src=x onerror=alert(1)> change ${i}\n\nbody`,
        commitUrl: "https://github.com/acme/web/commit/x",
        variables: [{ name: "ENV", resolvedValue: "prod" }],
        sourceRevisions: [
          { actionName: "Checkout", revisionId: "abc", revisionSummary: "msg", revisionUrl: "javascript:alert(1)" },
        ],
        stageExecutions: {
          create: [
            { stageName: "Source", status: "Succeeded", startTime: minutes(m), endTime: minutes(m + 1) },
            ...(i === 0
              ? [{ stageName: "Build", status: "InProgress", startTime: minutes(m + 1), endTime: null }]
              : []),
            ...(i > 0
              ? [
                  {
                    stageName: "Prod",
                    status: i === 3 ? "Failed" : "Succeeded",
                    startTime: minutes(m + 2),
                    endTime: minutes(m + 4),
                  },
                ]
              : []),
          ],
        },
        actionExecutions: {
          create: [
            {
              actionExecutionId: `${executionId}-u1`,
              stageName: "Build",
              actionName: "Unit",
              status: "Failed",
              startTime: minutes(m + 1),
              lastUpdateTime: minutes(m + 1.5),
              errorMessage: "flaky",
            },
            {
              actionExecutionId: `${executionId}-u2`,
              stageName: "Build",
              actionName: "Unit",
              status: i === 0 ? "InProgress" : "Succeeded",
              startTime: minutes(m + 1.6),
              lastUpdateTime: minutes(m + 2),
              externalExecutionUrl: "https://console.example/build/2",
            },
          ],
        },
        ruleExecutions: {
          create: [
            {
              ruleExecutionId: `${executionId}-r`,
              stageName: "Prod",
              ruleName: "NoAlarms",
              status: "Succeeded",
              startTime: minutes(m + 2),
              lastUpdateTime: minutes(m + 2),
              summary: "0 alarms",
            },
          ],
        },
      },
    });
  }
  await db.approval.create({
    data: {
      pipelineId: apiId,
      executionId: "a-0",
      stageName: "Prod",
      actionName: "Approve",
      token: "secret-token",
      status: "Pending",
      requestedAt: minutes(-190),
    },
  });
  await db.approval.create({
    data: {
      pipelineId: apiId,
      executionId: "a-0",
      stageName: "Prod",
      actionName: "Approve",
      token: "old-token",
      status: "Approved",
      requestedAt: minutes(-300),
    },
  });
  await db.execution.create({
    data: {
      pipelineId: apiId,
      executionId: "a-0",
      status: "Failed",
      startTime: minutes(-200),
      lastUpdateTime: minutes(-190),
      completedAt: minutes(-190),
      commitSha: "f".repeat(40),
      commitMessage: "api change",
    },
  });
}

beforeAll(async () => {
  tdb = await createTestDatabase();
  db = tdb.db;
  await seed();
});
afterAll(async () => tdb?.drop());

describe("overview", () => {
  it("shows only visible pipelines, needs-attention first, with the latest commit and current stage", async () => {
    const overview = await getOverview(ada, {}, { db, now: NOW });
    expect(overview.total).toBe(2);
    expect(overview.attention.map((g) => g.fullName)).toEqual(["acme/api", "acme/web"]);
    const api = overview.attention[0]?.pipelines[0];
    expect(api).toMatchObject({
      name: "api-main",
      latestStatus: "Failed",
      syncStale: true,
      pendingApprovals: 1,
      attention: ["failed", "approval", "sync-stale"],
      region: "us-east-1",
    });
    const web = overview.attention[1]?.pipelines[0];
    expect(web).toMatchObject({
      name: "web-main",
      currentStage: "Build",
      waitingForStage: false,
      disabledTransitions: 1,
      attention: ["transition-disabled"],
    });
    expect(web?.latest?.commitMessage).toContain("<img src=x");
  });

  it("places the latest execution by the state snapshot: held before a stage, else where its stage rows say", async () => {
    const repo = await db.repository.create({
      data: { fullName: "acme/held", owner: "acme", name: "held", githubId: GITHUB_IDS["acme/held"] },
    });
    const state: PipelineStateSnapshot = {
      pipelineVersion: 1,
      created: null,
      updated: null,
      stages: [
        liveStage("Source", "h-new", "Succeeded"),
        liveStage("Build", "h-new", "Succeeded"),
        liveStage("Prod", "h-old", "Succeeded", {
          inboundTransition: { enabled: false, disabledReason: "Freeze", lastChangedBy: "ada", lastChangedAt: null },
          inboundExecutions: [{ executionId: "h-new", status: "InProgress", type: null }],
        }),
      ],
    };
    const held = await db.pipeline.create({
      data: {
        targetId: "t1",
        name: "held-main",
        repositoryId: repo.id,
        version: 1,
        state: state as unknown as Prisma.InputJsonValue,
        latestExecutionId: "h-new",
        latestStatus: "InProgress",
        latestStartTime: minutes(-10),
      },
    });
    const unsynced = await db.pipeline.create({
      data: {
        targetId: "t1",
        name: "unsynced-main",
        repositoryId: repo.id,
        version: 1,
        state: state as unknown as Prisma.InputJsonValue,
        latestExecutionId: "u-new",
        latestStatus: "Failed",
        latestStartTime: minutes(-5),
      },
    });
    const stageRows = (statuses: [string, string][]) => ({
      create: statuses.map(([stageName, status], i) => ({
        stageName,
        status,
        startTime: minutes(-10 + i),
        endTime: minutes(-9 + i),
      })),
    });
    try {
      await db.execution.create({
        data: {
          pipelineId: held.id,
          executionId: "h-new",
          status: "InProgress",
          startTime: minutes(-10),
          lastUpdateTime: minutes(-8),
          stageExecutions: stageRows([
            ["Source", "Succeeded"],
            ["Build", "Succeeded"],
          ]),
        },
      });
      await db.execution.create({
        data: {
          pipelineId: unsynced.id,
          executionId: "u-new",
          status: "Failed",
          startTime: minutes(-5),
          lastUpdateTime: minutes(-4),
          stageExecutions: stageRows([
            ["Source", "Succeeded"],
            ["Build", "Failed"],
          ]),
        },
      });
      for (const [position, name] of ["Source", "Build", "Prod"].entries())
        await db.stage.create({ data: { pipelineId: unsynced.id, name, position } });
      const overview = await getOverview(viewer(["acme/held"]), {}, { db, now: NOW });
      const rows = new Map(
        [...overview.attention, ...overview.rest].flatMap((g) => g.pipelines).map((p) => [p.name, p]),
      );
      expect(rows.get("held-main")).toMatchObject({ currentStage: "Prod", waitingForStage: true });
      expect(rows.get("unsynced-main")).toMatchObject({ currentStage: "Build", waitingForStage: false });
    } finally {
      await db.pipeline.deleteMany({ where: { id: { in: [held.id, unsynced.id] } } });
      await db.repository.delete({ where: { id: repo.id } });
    }
  });

  it("filters by status and search", async () => {
    expect((await getOverview(ada, { status: "running" }, { db, now: NOW })).shown).toBe(1);
    const searched = await getOverview(ada, { q: "API" }, { db, now: NOW });
    expect([...searched.attention, ...searched.rest].flatMap((g) => g.pipelines.map((p) => p.name))).toEqual([
      "api-main",
    ]);
    expect((await getOverview(linus, {}, { db, now: NOW })).total).toBe(1);
  });
});

describe("repository", () => {
  it("answers null for a repository the viewer cannot see", async () => {
    expect(await getRepositoryOverview(linus, "acme/web", { db, now: NOW })).toBeNull();
    expect(await getRepositoryOverview(ada, "other/secret", { db, now: NOW })).toBeNull();
  });
  it("shows what is deployed where: the latest execution that got through each deploy stage", async () => {
    const repo = await getRepositoryOverview(ada, "ACME/Web", { db, now: NOW });
    expect(repo?.deployments).toEqual([
      expect.objectContaining({ pipelineName: "web-main", stageName: "Prod", executionId: "w-old" }),
    ]);
    expect(repo?.recent.map((e) => e.executionId).slice(0, 2)).toEqual(["w-run", expect.stringMatching(/^w-/)]);
  });
});

describe("history", () => {
  it("walks every execution exactly once across pages, newest first", async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await listExecutions(ada, webId, { cursor }, { db, limit: 2 });
      seen.push(...(result?.items.map((e) => e.executionId) ?? []));
      if (!result?.nextCursor) break;
      cursor = result.nextCursor;
      expect(decodeCursor(cursor)).not.toBeNull();
    }
    expect(seen).toHaveLength(7);
    expect(new Set(seen).size).toBe(7);
    expect(seen[0]).toBe("w-run");
  });
  it("filters by status, branch, trigger and commit prefix", async () => {
    const ids = async (f: HistoryFilters) =>
      (await listExecutions(ada, webId, f, { db }))?.items.map((e) => e.executionId);
    expect(await ids({ status: "Failed" })).toEqual(["w-3"]);
    expect(await ids({ branch: "feature/x" })).toEqual(["w-4"]);
    expect(await ids({ trigger: "StartPipelineExecution" })).toEqual(["w-5"]);
    expect(await ids({ commit: "3333333" })).toEqual(["w-3"]);
  });
  it("is 404 for pipelines the viewer cannot see", async () => {
    expect(await listExecutions(linus, webId, {}, { db })).toBeNull();
  });
  it("applies the visibility rule to one pipeline: its repository, or administrators for unmapped ones", async () => {
    const unmapped = await db.pipeline.create({ data: { targetId: "t1", name: "no-source", version: 1 } });
    const removed = await db.pipeline.create({
      data: {
        targetId: "t1",
        name: "web-old",
        repositoryId: (await db.pipeline.findUniqueOrThrow({ where: { id: webId } })).repositoryId,
        version: 1,
        deletedAt: minutes(-1),
      },
    });
    try {
      expect(await findVisiblePipeline(db, ada, webId)).toEqual({
        id: webId,
        name: "web-main",
        repository: "acme/web",
        deleted: false,
      });
      expect(await findVisiblePipeline(db, linus, webId)).toBeNull();
      expect(await findVisiblePipeline(db, ada, "no-such-pipeline")).toBeNull();
      expect(await findVisiblePipeline(db, ada, unmapped.id)).toBeNull();
      expect(await findVisiblePipeline(db, viewer([], true), unmapped.id)).toMatchObject({
        repository: null,
        deleted: false,
      });
      expect(await findVisiblePipeline(db, viewer([], true), webId)).toBeNull();
      expect(await findVisiblePipeline(db, ada, removed.id)).toMatchObject({ deleted: true });
      expect(await listExecutions(ada, removed.id, {}, { db })).toBeNull();
    } finally {
      await db.pipeline.deleteMany({ where: { id: { in: [unmapped.id, removed.id] } } });
    }
  });
  it("offers each status, branch and trigger of recent executions once, sorted", async () => {
    expect(await historyFilterOptions(db, webId)).toEqual({
      statuses: ["Failed", "InProgress", "Succeeded"],
      branches: ["feature/x", "main"],
      triggers: ["StartPipelineExecution", "Webhook"],
    });
    expect(await historyFilterOptions(db, "no-such-pipeline")).toEqual({ statuses: [], branches: [], triggers: [] });
  });
});

describe("pipeline and execution detail", () => {
  it("draws the live graph with the disabled transition and the held execution", async () => {
    const detail = await getPipelineDetail(ada, webId, null, { db, now: NOW });
    expect(detail?.graph.map((s) => [s.name, s.status])).toEqual([
      ["Source", "Succeeded"],
      ["Build", "InProgress"],
      ["Prod", "Succeeded"],
    ]);
    expect(detail?.graph[2]?.transition).toMatchObject({ enabled: false, reason: "Release freeze", by: "ada" });
    expect(detail?.graph[2]?.waiting).toEqual([
      { executionId: "w-held", status: "InProgress", heldByTransition: true },
    ]);
    const unit = detail?.graph[1]?.groups[0]?.find((a) => a.name === "Unit");
    expect(unit).toMatchObject({ status: "InProgress", attempts: 2, externalUrl: "https://console.example/build/2" });
    expect(await getPipelineDetail(linus, webId, null, { db })).toBeNull();
  });
  it("draws an older execution as it ran", async () => {
    const detail = await getPipelineDetail(ada, webId, "w-3", { db, now: NOW });
    expect(detail?.selected?.executionId).toBe("w-3");
    expect(detail?.graph.map((s) => s.status)).toEqual(["Succeeded", null, "Failed"]);
  });
  it("builds the execution timeline with retries and rule results", async () => {
    const detail = await getExecutionDetail(ada, webId, "w-old", { db, now: NOW });
    expect(detail?.variables).toEqual([{ name: "ENV", value: "prod" }]);
    expect(detail?.timeline.rows.map((r) => `${r.kind}:${r.label}#${r.attempt}`)).toEqual([
      "stage:Source#1",
      "action:Unit#1",
      "action:Unit#2",
      "stage:Prod#1",
      "rule:NoAlarms#1",
    ]);
    expect(JSON.stringify(detail)).not.toContain("secret-token");
    expect(detail?.timeline.rows[1]?.errorMessage).toBe("flaky");
    expect(await getExecutionDetail(linus, webId, "w-old", { db })).toBeNull();
    expect(await getExecutionDetail(ada, webId, "nope", { db })).toBeNull();
  });
});

describe("stale targets", () => {
  it("names only stale targets holding a pipeline the viewer can see", async () => {
    // t1 synced 30 s before NOW, t2 an hour before: only t2 is stale, and it holds acme/api only.
    expect((await listStaleTargets(ada, { db, now: NOW })).map((t) => t.id)).toEqual(["t2"]);
    expect((await listStaleTargets(linus, { db, now: NOW })).map((t) => t.id)).toEqual(["t2"]);
    expect(await listStaleTargets(viewer(["acme/web"]), { db, now: NOW })).toEqual([]);
    expect(await listStaleTargets(viewer(["other/secret"]), { db, now: minutes(120) })).toEqual([
      expect.objectContaining({ id: "t1", accountId: "111111111111", region: "eu-west-1" }),
    ]);
    expect(await listStaleTargets(viewer([]), { db, now: minutes(120) })).toEqual([]);
  });
});

describe("change token", () => {
  it("moves when an execution in scope changes, and not for others", async () => {
    const before = await getChangeToken(ada, { pipeline: webId }, { db, now: NOW });
    const overviewBefore = await getChangeToken(ada, {}, { db, now: NOW });
    expect(await getChangeToken(ada, { pipeline: webId }, { db, now: NOW })).toBe(before);
    await db.execution.update({
      where: { pipelineId_executionId: { pipelineId: apiId, executionId: "a-0" } },
      data: { statusSummary: "x" },
    });
    expect(await getChangeToken(ada, { pipeline: webId }, { db, now: NOW })).toBe(before);
    await db.execution.update({
      where: { pipelineId_executionId: { pipelineId: webId, executionId: "w-run" } },
      data: { status: "Succeeded" },
    });
    expect(await getChangeToken(ada, { pipeline: webId }, { db, now: NOW })).not.toBe(before);
    await db.pipeline.update({ where: { id: webId }, data: { latestStatus: "Succeeded" } });
    expect(await getChangeToken(ada, {}, { db, now: NOW })).not.toBe(overviewBefore);
  });
});
