// CodeConnections on the sandbox's endpoint, through the real npm client (which sends the CodeStar
// Connections target prefix) and raw requests under the current CodeConnections prefix. No AWS model of
// the service is available beside the project, so shapes are checked against its API reference here.
import {
  CodeStarConnectionsClient,
  GetConnectionCommand,
  GetHostCommand,
  ListConnectionsCommand,
  ListHostsCommand,
  paginateListConnections,
  type Connection,
} from "@aws-sdk/client-codestar-connections";
import { CodePipelineClient, ListPipelineExecutionsCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSandbox, type Sandbox } from "./index";
import { connectionArnFor } from "./fleet/connections";

const credentials = { accessKeyId: "AKIDSANDBOX", secretAccessKey: "sandbox-secret" };
let github: Sandbox;
let enterprise: Sandbox;
const clientFor = (s: Sandbox) =>
  new CodeStarConnectionsClient({ region: "us-east-1", endpoint: s.url, credentials, maxAttempts: 1 });

beforeAll(async () => {
  github = await startSandbox({ port: 0, clock: "manual", pipelines: 30, historyDays: 1, seed: "7" });
  enterprise = await startSandbox({
    port: 0,
    clock: "manual",
    pipelines: 2,
    historyDays: 1,
    seed: "7",
    githubUrl: "https://github.example.com/",
  });
});
afterAll(async () => {
  await github?.stop();
  await enterprise?.stop();
});

async function raw(s: Sandbox, target: string, body: unknown) {
  const res = await fetch(s.url, {
    method: "POST",
    headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.0" },
    body: JSON.stringify(body),
  });
  return {
    status: res.status,
    contentType: res.headers.get("content-type"),
    type: res.headers.get("x-amzn-errortype"),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe("connections", () => {
  it("lists every connection the fleet's pipelines use, with AWS's members, across pages", async () => {
    const all: Connection[] = [];
    let pages = 0;
    for await (const page of paginateListConnections({ client: clientFor(github), pageSize: 2 }, {})) {
      pages++;
      all.push(...(page.Connections ?? []));
    }
    expect(pages).toBe(3);
    expect(all).toHaveLength(6);
    for (const c of all) {
      expect(Object.keys(c).sort()).toEqual([
        "ConnectionArn",
        "ConnectionName",
        "ConnectionStatus",
        "OwnerAccountId",
        "ProviderType",
      ]);
      expect(c.ConnectionArn).toMatch(/^arn:aws:codestar-connections:us-east-1:\d{12}:connection\/[0-9a-f-]{36}$/);
      expect(c.ConnectionStatus).toBe("AVAILABLE");
    }
    const used = new Set<string>();
    for (const p of github.world.pipelines.values()) {
      for (const stage of p.declarations.at(-1)?.stages ?? [])
        for (const a of stage.actions ?? [])
          if (a.configuration?.ConnectionArn) used.add(a.configuration.ConnectionArn);
    }
    const listed = new Map(all.map((c) => [c.ConnectionArn, c.ProviderType]));
    for (const arn of used) expect(listed.has(arn)).toBe(true);
    // The curated pipelines keep their GitHub connection; the synthetic initech ones in this fleet are on Bitbucket.
    const env = github.world.env;
    expect(listed.get(connectionArnFor(env, "acme", "GitHub"))).toBe("GitHub");
    const bitbucket = [...github.world.pipelines.values()].filter((p) =>
      JSON.stringify(p.declarations.at(-1)).includes(connectionArnFor(env, "initech", "Bitbucket")),
    );
    expect(bitbucket.map((p) => p.name).sort()).toEqual(["initech-profile-1-prod", "initech-profile-1-staging"]);
  });

  it("filters by provider, answers GetConnection under either ARN prefix, and reports unknown ones", async () => {
    const client = clientFor(github);
    const out = await client.send(new ListConnectionsCommand({ ProviderTypeFilter: "Bitbucket" }));
    expect(out.Connections?.map((c) => c.ProviderType)).toEqual(["Bitbucket", "Bitbucket", "Bitbucket"]);
    expect(out.NextToken).toBeUndefined();
    const arn = connectionArnFor(github.world.env, "globex", "GitHub");
    const renamed = arn.replace(":codestar-connections:", ":codeconnections:");
    expect((await client.send(new GetConnectionCommand({ ConnectionArn: renamed }))).Connection).toMatchObject({
      ConnectionArn: arn,
      ProviderType: "GitHub",
    });
    await expect(
      client.send(new GetConnectionCommand({ ConnectionArn: `${arn.slice(0, -4)}0000` })),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
  });

  it("answers bad input the way the service's protocol does", async () => {
    const client = clientFor(github);
    await expect(client.send(new ListConnectionsCommand({ MaxResults: 500 }))).rejects.toMatchObject({
      name: "ValidationException",
      message:
        "1 validation error detected: Value '500' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 100",
    });
    await expect(client.send(new ListConnectionsCommand({ NextToken: "forged" }))).rejects.toMatchObject({
      name: "InvalidNextTokenException",
    });
    const bad = await raw(github, "CodeConnections_20231201.ListConnections", { MaxResults: "ten" });
    expect(bad).toMatchObject({ status: 400, type: "SerializationException" });
  });

  it("serves the current CodeConnections target prefix in JSON 1.0, and denies what the role may not call", async () => {
    const ok = await raw(github, "CodeConnections_20231201.ListConnections", { ProviderTypeFilter: "GitHub" });
    expect(ok.status).toBe(200);
    expect(ok.contentType).toBe("application/x-amz-json-1.0");
    expect((ok.body.Connections as unknown[]).length).toBe(3);
    const unknown = await raw(github, "CodeConnections_20231201.ListPipelines", {});
    expect(unknown).toMatchObject({ status: 400, type: "UnknownOperationException" });
    github.faults.set({ deny: ["ListConnections"] });
    try {
      const denied: unknown = await clientFor(github)
        .send(new ListConnectionsCommand({}))
        .catch((error: unknown) => error);
      expect(denied).toMatchObject({ name: "AccessDeniedException" });
      expect((denied as Error).message).toMatch(/not authorized to perform: codestar-connections:ListConnections/);
    } finally {
      github.faults.clear();
    }
  });

  it("presents GitHub connections as Enterprise Server ones on a host when told of another GitHub", async () => {
    const client = clientFor(enterprise);
    const { Connections = [] } = await client.send(
      new ListConnectionsCommand({ ProviderTypeFilter: "GitHubEnterpriseServer" }),
    );
    expect(Connections).toHaveLength(3);
    const hostArn = Connections[0]?.HostArn ?? "";
    expect(hostArn).toMatch(/^arn:aws:codestar-connections:us-east-1:\d{12}:host\/github-enterprise-[0-9a-f]{8}$/);
    const { Hosts = [] } = await client.send(new ListHostsCommand({}));
    expect(Hosts).toEqual([
      {
        Name: "github-enterprise",
        HostArn: hostArn,
        ProviderType: "GitHubEnterpriseServer",
        ProviderEndpoint: "https://github.example.com",
        Status: "AVAILABLE",
      },
    ]);
    const host = await client.send(new GetHostCommand({ HostArn: hostArn }));
    expect(host).toMatchObject({ Name: "github-enterprise", ProviderEndpoint: "https://github.example.com" });
    expect((await client.send(new ListConnectionsCommand({ HostArnFilter: hostArn }))).Connections).toHaveLength(3);
  });
});

describe("source revisions", () => {
  it("name the provider of the connection a source uses", async () => {
    const client = new CodePipelineClient({ region: "us-east-1", endpoint: github.url, credentials, maxAttempts: 1 });
    const summaryOf = async (pipelineName: string) =>
      (await client.send(new ListPipelineExecutionsCommand({ pipelineName, maxResults: 1 })))
        .pipelineExecutionSummaries?.[0]?.sourceRevisions?.[0]?.revisionSummary;
    expect(JSON.parse((await summaryOf("initech-profile-1-prod")) ?? "{}")).toMatchObject({
      ProviderType: "Bitbucket",
    });
    expect(JSON.parse((await summaryOf("web-app-prod")) ?? "{}")).toMatchObject({ ProviderType: "GitHub" });
    client.destroy();
  });
});
