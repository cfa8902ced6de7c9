// GitHub (version 1) sources against the sandbox: their Owner/Repo always means github.com, so they map to a
// repository only when the configured GitHub is github.com (or the local stand-in declared to play it).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serverSchema } from "@/lib/config/schema";
import { syncOnce, type SyncEngineOptions } from "./engine";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

const ENTERPRISE = "https://github.example.com";
const STAND_IN = "http://127.0.0.1:4600";

async function pipelineNamed(f: Fixture, name: string) {
  return f.database.db.pipeline.findFirstOrThrow({ where: { name }, include: { repository: true } });
}

describe("GitHub v1 sources on GitHub Enterprise Server", () => {
  let f: Fixture;
  const enterprise: Partial<SyncEngineOptions> = { settings: { ...TEST_SETTINGS, githubUrl: ENTERPRISE } };
  beforeAll(async () => {
    f = await createFixture({ pipelines: 3, historyDays: 1, githubUrl: ENTERPRISE });
    await f.drain(enterprise);
  });
  afterAll(async () => f?.close());

  it("leaves them unmapped (administrators only), while the Enterprise Server's own connections map", async () => {
    expect(await pipelineNamed(f, "api-prod")).toMatchObject({
      repositoryId: null,
      sourceProvider: "GitHub",
      sourceBranch: "main",
    });
    expect(await f.database.db.repository.findUnique({ where: { fullName: "acme/api" } })).toBeNull();
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({ repository: { fullName: "acme/web-app" } });
  });

  it("unmaps those mapped before the rule existed at the next start, without a definition change", async () => {
    // As an older version left it: api-prod grouped under the Enterprise Server's acme/api.
    const stale = await f.database.db.repository.create({ data: { fullName: "acme/api", owner: "acme", name: "api" } });
    const { id } = await pipelineNamed(f, "api-prod");
    await f.database.db.pipeline.update({ where: { id }, data: { repositoryId: stale.id } });
    await f.database.db.target.update({ where: { id: "sandbox" }, data: { githubIsGitHubCom: null } });
    await syncOnce(f.options(enterprise));
    expect(await pipelineNamed(f, "api-prod")).toMatchObject({ repositoryId: null });
    expect(await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } })).toMatchObject({
      githubIsGitHubCom: false,
    });
  });
});

describe("GitHub v1 sources on the local stand-in", () => {
  let f: Fixture;
  const playing: Partial<SyncEngineOptions> = {
    settings: { ...TEST_SETTINGS, githubUrl: STAND_IN, githubComStandInUrl: STAND_IN },
  };
  beforeAll(async () => {
    f = await createFixture({ pipelines: 3, historyDays: 1, githubUrl: STAND_IN });
    await f.drain(playing);
  });
  afterAll(async () => f?.close());

  it("maps them when the stand-in is declared to play github.com, and unmaps them when it no longer is", async () => {
    expect(await pipelineNamed(f, "api-prod")).toMatchObject({ repository: { fullName: "acme/api" } });
    await syncOnce(f.options({ settings: { ...TEST_SETTINGS, githubUrl: STAND_IN } }));
    expect(await pipelineNamed(f, "api-prod")).toMatchObject({ repositoryId: null, sourceProvider: "GitHub" });
    // The stand-in's own (Enterprise-Server-style) connections are unaffected.
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({ repository: { fullName: "acme/web-app" } });
    await syncOnce(f.options(playing));
    expect(await pipelineNamed(f, "api-prod")).toMatchObject({ repository: { fullName: "acme/api" } });
  });
});

describe("GITHUB_COM_STAND_IN_URL", () => {
  it("accepts only the loopback URL of a local stand-in, so no real GitHub can be declared to be github.com", () => {
    const parse = (value: string) => serverSchema.GITHUB_COM_STAND_IN_URL.safeParse(value);
    for (const ok of ["http://127.0.0.1:4600", "http://localhost:4600/", "http://[::1]:4600"])
      expect(parse(ok).success).toBe(true);
    for (const bad of ["https://github.example.com", "http://10.0.0.5:4600", "http://127.0.0.1.evil.example", "x"]) {
      const result = parse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/^must be the loopback URL of the local GitHub stand-in/);
    }
  });
});
