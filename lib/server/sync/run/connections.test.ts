// Connection-sourced pipelines against the sandbox: mapped to a GitHub repository only when their
// connection points at the configured GitHub, with the connections listed once and re-listed only for
// connections not seen before.
import { CodePipelineClient, CreatePipelineCommand, GetPipelineCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AwsOperation } from "@/lib/server/aws/types";
import { syncOnce, type SyncEngineOptions } from "./engine";
import { createFixture, TEST_SETTINGS, type Fixture } from "../testing/fixture";

const WARN = 40;

function counter() {
  const counts: Partial<Record<AwsOperation, number>> = {};
  return { counts, onRequest: (_target: string, op: AwsOperation) => void (counts[op] = (counts[op] ?? 0) + 1) };
}

async function pipelineNamed(f: Fixture, name: string) {
  return f.database.db.pipeline.findFirstOrThrow({ where: { name }, include: { repository: true } });
}

describe("connection sources on a GitHub.com fleet", () => {
  let f: Fixture;
  const first = counter();
  beforeAll(async () => {
    f = await createFixture({ pipelines: 30, historyDays: 1, seed: "7" });
    await f.drain({ onRequest: first.onRequest });
  });
  afterAll(async () => f?.close());

  it("maps GitHub connections and leaves the Bitbucket ones unmapped, naming their provider", async () => {
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({
      sourceConnectionProvider: "GitHub",
      repository: { fullName: "acme/web-app" },
    });
    expect(await pipelineNamed(f, "billing-api")).toMatchObject({
      sourceConnectionProvider: "GitHub",
      repository: { fullName: "initech/billing" },
    });
    for (const name of ["initech-profile-1-prod", "initech-profile-1-staging"]) {
      const p = await pipelineNamed(f, name);
      expect(p).toMatchObject({
        repositoryId: null,
        sourceProvider: "CodeStarSourceConnection",
        sourceConnectionProvider: "Bitbucket",
      });
      expect(p.sourceBranch).toBeTruthy();
      expect(p.sourceConnectionArn).toMatch(/:connection\//);
    }
    expect(await f.database.db.repository.findUnique({ where: { fullName: "initech/profile-1" } })).toBeNull();
    expect(await f.database.db.sourceConnection.count()).toBe(6);
  });

  it("lists connections once, in the first discovery, and not again while every connection is known", async () => {
    expect(first.counts.ListConnections).toBe(1);
    expect(first.counts.ListHosts ?? 0).toBe(0);
    const again = counter();
    await syncOnce({ ...f.options({ onRequest: again.onRequest }), forceDiscovery: true });
    expect(again.counts.ListPipelines).toBe(1);
    expect(again.counts.ListConnections ?? 0).toBe(0);
  });

  it("re-lists for a connection created later, at most once per discovery interval", async () => {
    const client = new CodePipelineClient({ region: "us-east-1", endpoint: f.sandbox.url, maxAttempts: 1 });
    const model = (await client.send(new GetPipelineCommand({ name: "docs-site" }))).pipeline!;
    const lateArn = `arn:aws:codeconnections:us-east-1:111122223333:connection/0f0e0d0c-0b0a-4098-8765-43210fedcba9`;
    const source = model.stages![0]!.actions![0]!;
    source.configuration = { ...source.configuration, ConnectionArn: lateArn, FullRepositoryId: "acme/late-arrival" };
    await client.send(new CreatePipelineCommand({ pipeline: { ...model, name: "late-arrival", version: undefined } }));
    client.destroy();

    const round = counter();
    await syncOnce({ ...f.options({ onRequest: round.onRequest }), forceDiscovery: true });
    await f.drain({ onRequest: round.onRequest });
    expect(await pipelineNamed(f, "late-arrival")).toMatchObject({
      repositoryId: null,
      sourceConnectionArn: lateArn,
      sourceConnectionProvider: null,
    });

    // The connection exists now (created under the service's new name), but the last listing is too recent.
    const stored = lateArn.replace(":codeconnections:", ":codestar-connections:");
    f.sandbox.world.connections.set(stored, {
      arn: stored,
      name: "acme-late",
      providerType: "GitHub",
      status: "AVAILABLE",
    });
    await syncOnce({ ...f.options({ onRequest: round.onRequest }), forceDiscovery: true });
    expect(round.counts.ListConnections ?? 0).toBe(0);

    f.sandbox.advance(TEST_SETTINGS.discoveryIntervalMs);
    await syncOnce({ ...f.options({ onRequest: round.onRequest }), forceDiscovery: true });
    expect(round.counts.ListConnections).toBe(1);
    expect(await pipelineNamed(f, "late-arrival")).toMatchObject({
      sourceConnectionProvider: "GitHub",
      repository: { fullName: "acme/late-arrival" },
    });
  });
});

describe("connection sources when the connections API is denied", () => {
  let f: Fixture;
  beforeAll(async () => {
    f = await createFixture({ pipelines: 3, historyDays: 1 });
    await f.control("faults", { deny: ["ListConnections"] });
    await f.drain();
  });
  afterAll(async () => f?.close());

  it("keeps connection sources unmapped, warns once with the missing permission, and maps them once allowed", async () => {
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({
      repositoryId: null,
      sourceConnectionProvider: null,
    });
    expect(await pipelineNamed(f, "api-prod")).toMatchObject({ repository: { fullName: "acme/api" } });
    const target = await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } });
    expect(target.connectionsError).toMatch(/AccessDeniedException/);
    expect(target.lastError).toBeNull();

    const retry = counter();
    f.sandbox.advance(TEST_SETTINGS.discoveryIntervalMs);
    await syncOnce({ ...f.options({ onRequest: retry.onRequest }), forceDiscovery: true });
    expect(retry.counts.ListConnections).toBe(1);
    const warnings = f.records.filter((r) => r.level === WARN && /connections could not be listed/.test(r.msg));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      target: "sandbox",
      operation: "ListConnections",
      code: "AccessDeniedException",
    });
    expect(warnings[0]?.msg).toMatch(/codeconnections:ListConnections/);
    expect(f.records.filter((r) => r.level > WARN)).toEqual([]);

    await fetch(`${f.sandbox.url}/_sandbox/faults`, { method: "DELETE" });
    f.sandbox.advance(TEST_SETTINGS.discoveryIntervalMs);
    await syncOnce({ ...f.options(), forceDiscovery: true });
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({
      sourceConnectionProvider: "GitHub",
      repository: { fullName: "acme/web-app" },
    });
    expect((await f.database.db.target.findUniqueOrThrow({ where: { id: "sandbox" } })).connectionsError).toBeNull();
  });
});

describe("connection sources on GitHub Enterprise Server", () => {
  let f: Fixture;
  const enterprise: Partial<SyncEngineOptions> = {
    settings: { ...TEST_SETTINGS, githubUrl: "https://github.example.com" },
  };
  const first = counter();
  beforeAll(async () => {
    f = await createFixture({ pipelines: 3, historyDays: 1, githubUrl: "https://github.example.com" });
    await f.drain({ ...enterprise, onRequest: first.onRequest });
  });
  afterAll(async () => f?.close());

  it("maps connections whose host is the configured GitHub, listing the hosts once", async () => {
    expect(first.counts.ListConnections).toBe(1);
    expect(first.counts.ListHosts).toBe(1);
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({
      sourceConnectionProvider: "GitHubEnterpriseServer",
      repository: { fullName: "acme/web-app" },
    });
    const row = await f.database.db.sourceConnection.findFirstOrThrow({
      where: { providerType: "GitHubEnterpriseServer" },
    });
    expect(row.providerEndpoint).toBe("https://github.example.com");
  });

  it("unmaps them when another GitHub is configured, without asking AWS again", async () => {
    for (const githubUrl of ["https://github.com", "https://github.other.example"]) {
      const round = counter();
      await syncOnce({ ...f.options({ settings: { ...TEST_SETTINGS, githubUrl }, onRequest: round.onRequest }) });
      expect(round.counts.ListConnections ?? 0).toBe(0);
      expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({
        repositoryId: null,
        sourceConnectionProvider: "GitHubEnterpriseServer",
      });
    }
    await syncOnce({ ...f.options(enterprise) });
    expect(await pipelineNamed(f, "web-app-prod")).toMatchObject({ repository: { fullName: "acme/web-app" } });
  });
});
