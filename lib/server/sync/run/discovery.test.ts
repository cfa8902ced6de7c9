import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFixture, type Fixture } from "../testing/fixture";

describe("discovery and repository mapping", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 5, historyDays: 1 });
    await f.drain();
  });
  afterAll(async () => f?.close());

  it("stores every pipeline with its repository, branch and provider", async () => {
    const pipelines = await f.database.db.pipeline.findMany({
      include: { repository: true },
      orderBy: { name: "asc" },
    });
    expect(pipelines.map((p) => p.name)).toEqual([
      "api-prod",
      "legacy-batch-jobs",
      "payments-service",
      "web-app-prod",
      "web-app-staging",
    ]);
    const byName = new Map(pipelines.map((p) => [p.name, p]));
    expect(byName.get("web-app-prod")).toMatchObject({
      sourceBranch: "main",
      sourceProvider: "CodeStarSourceConnection",
      repository: { fullName: "acme/web-app" },
    });
    expect(byName.get("web-app-staging")).toMatchObject({
      sourceBranch: "develop",
      repository: { fullName: "acme/web-app" },
    });
    expect(byName.get("api-prod")).toMatchObject({
      sourceBranch: "main",
      sourceProvider: "GitHub",
      repository: { fullName: "acme/api" },
    });
    expect(byName.get("legacy-batch-jobs")).toMatchObject({ repositoryId: null, sourceProvider: "S3" });
  });

  it("never stores the GitHub v1 OAuth token", async () => {
    const definitions = await f.database.db.pipelineDefinition.findMany();
    const actions = await f.database.db.action.findMany();
    expect(definitions.length).toBeGreaterThanOrEqual(5);
    const text = JSON.stringify([definitions, actions]);
    expect(text).not.toMatch(/OAuthToken/);
    expect(text).not.toMatch(/ghp_/);
    const source = actions.find((a) => a.pipelineId && a.provider === "GitHub");
    expect(source?.configuration).toMatchObject({ Owner: "acme", Repo: "api", Branch: "main" });
  });

  it("stores stages, actions and the disabled transition from the state", async () => {
    const web = await f.database.db.pipeline.findFirstOrThrow({
      where: { name: "web-app-prod" },
      include: { stages: { orderBy: { position: "asc" } } },
    });
    expect(web.stages.length).toBeGreaterThan(2);
    const production = web.stages.find((s) => s.name === "Production");
    expect(production).toMatchObject({
      transitionEnabled: false,
      disabledReason: "Change freeze until the quarterly audit",
    });
    expect(production?.disabledBy).toMatch(/^arn:aws:iam::/);
    expect(web.state).toBeTruthy();
    expect(JSON.stringify(web.state)).not.toMatch(/"token"/);
  });

  it("marks a pipeline deleted when it disappears, keeping its history", async () => {
    const before = await f.database.db.execution.count({ where: { pipeline: { name: "api-prod" } } });
    expect(before).toBeGreaterThan(0);
    f.sandbox.world.pipelines.delete("api-prod");
    const { syncOnce } = await import("./engine");
    await syncOnce({ ...f.options(), forceDiscovery: true });
    const gone = await f.database.db.pipeline.findFirstOrThrow({ where: { name: "api-prod" } });
    expect(gone.deletedAt).not.toBeNull();
    expect(await f.database.db.execution.count({ where: { pipelineId: gone.id } })).toBe(before);
    const others = await f.database.db.pipeline.count({ where: { deletedAt: null } });
    expect(others).toBe(4);
  });
});
