// The wire protocol and read operations against the seeded fleet, through the real SDK.
import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  ListRuleExecutionsCommand,
  ListTagsForResourceCommand,
  paginateListPipelineExecutions,
  paginateListPipelines,
  paginateListRuleExecutions,
  PutApprovalResultCommand,
  type RuleExecutionDetail,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, type Harness } from "./testing/harness";

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
  expect(h.validator.errors()).toEqual([]);
});

async function raw(target: string, body: string) {
  const res = await fetch(h.sandbox.url, {
    method: "POST",
    headers: { "x-amz-target": target, "content-type": "application/x-amz-json-1.1" },
    body,
  });
  return {
    status: res.status,
    type: res.headers.get("x-amzn-errortype"),
    requestId: res.headers.get("x-amzn-requestid"),
    body: (await res.json()) as Record<string, unknown>,
  };
}

describe("seeded fleet", () => {
  it("lists 24 pipelines across pages without a token on the last page", async () => {
    const names: string[] = [];
    for await (const page of paginateListPipelines({ client: h.client, pageSize: 5 }, {}))
      names.push(...(page.pipelines ?? []).map((p) => p.name ?? ""));
    expect(names).toHaveLength(24);
    expect(new Set(names).size).toBe(24);
    const last = await h.client.send(new ListPipelinesCommand({ maxResults: 1000 }));
    expect(last.nextToken).toBeUndefined();
  });

  it("covers acme, globex and initech, with several pipelines per repository", async () => {
    const { repositories } = (await h.control("GET", "/_sandbox/repositories")) as { repositories: string[] };
    expect(repositories).toContain("acme/web-app");
    for (const owner of ["acme/", "globex/", "initech/"])
      expect(repositories.some((r) => r.startsWith(owner))).toBe(true);
    expect(repositories.filter((r) => r.startsWith("acme/")).length).toBeGreaterThan(
      repositories.filter((r) => r.startsWith("globex/")).length,
    );
  });

  it("masks GitHub v1 OAuth tokens and serves older versions", async () => {
    const out = await h.client.send(new GetPipelineCommand({ name: "api-prod" }));
    const source = out.pipeline?.stages?.[0]?.actions?.[0];
    expect(source?.configuration?.OAuthToken).toBe("****");
    expect(out.metadata?.pipelineArn).toBe("arn:aws:codepipeline:us-east-1:111122223333:api-prod");
    const v1 = await h.client.send(new GetPipelineCommand({ name: "api-prod", version: 1 }));
    expect(v1.pipeline?.version).toBe(1);
    await expect(h.client.send(new GetPipelineCommand({ name: "api-prod", version: 99 }))).rejects.toMatchObject({
      name: "PipelineVersionNotFoundException",
    });
  });

  it("shows a disabled transition and a waiting approval whose token works once", async () => {
    const state = await h.client.send(new GetPipelineStateCommand({ name: "web-app-prod" }));
    const prod = state.stageStates?.find((s) => s.stageName === "Production");
    expect(prod?.inboundTransitionState).toMatchObject({
      enabled: false,
      disabledReason: "Change freeze until the quarterly audit",
    });
    expect(prod?.inboundTransitionState?.lastChangedAt).toBeInstanceOf(Date);
    const approvalAction = state.stageStates?.find((s) => s.stageName === "Approval")?.actionStates?.[0];
    const token = approvalAction?.latestExecution?.token;
    expect(approvalAction?.latestExecution?.status).toBe("InProgress");
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    const input = {
      pipelineName: "web-app-prod",
      stageName: "Approval",
      actionName: "ManualApproval",
      token: token ?? "",
      result: { status: "Approved" as const, summary: "ok" },
    };
    const out = await h.client.send(new PutApprovalResultCommand(input));
    expect(out.approvedAt).toBeInstanceOf(Date);
    await expect(h.client.send(new PutApprovalResultCommand(input))).rejects.toMatchObject({
      name: "ApprovalAlreadyCompletedException",
    });
    await expect(
      h.client.send(new PutApprovalResultCommand({ ...input, token: "00000000-0000-4000-8000-000000000000" })),
    ).rejects.toMatchObject({ name: "InvalidApprovalTokenException" });
    await expect(h.client.send(new PutApprovalResultCommand({ ...input, actionName: "Nope" }))).rejects.toMatchObject({
      name: "ActionNotFoundException",
    });
    await expect(h.client.send(new PutApprovalResultCommand({ ...input, stageName: "Nope" }))).rejects.toMatchObject({
      name: "StageNotFoundException",
    });
  });

  it("pages through months of history, newest first, and reads old executions by id", async () => {
    const all: { id: string; start: number; status: string }[] = [];
    for await (const page of paginateListPipelineExecutions(
      { client: h.client, pageSize: 100 },
      { pipelineName: "web-app-staging" },
    )) {
      for (const s of page.pipelineExecutionSummaries ?? [])
        all.push({ id: s.pipelineExecutionId ?? "", start: s.startTime?.getTime() ?? 0, status: s.status ?? "" });
    }
    expect(all.length).toBeGreaterThan(40);
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]?.start ?? 0).toBeGreaterThanOrEqual(all[i]?.start ?? 0);
    expect(all.some((e) => e.status === "Failed")).toBe(true);
    expect(all.filter((e) => e.status === "Failed").length / all.length).toBeLessThan(0.5);
    const oldest = all[all.length - 1];
    const exec = await h.client.send(
      new GetPipelineExecutionCommand({ pipelineName: "web-app-staging", pipelineExecutionId: oldest?.id }),
    );
    expect(exec.pipelineExecution?.artifactRevisions?.[0]?.revisionUrl).toMatch(
      /^https:\/\/us-east-1\.console\.aws\.amazon\.com\/codesuite\/.*FullRepositoryId=acme\/web-app&Commit=[0-9a-f]{40}$/,
    );
    const actions = await h.client.send(
      new ListActionExecutionsCommand({ pipelineName: "web-app-staging", filter: { pipelineExecutionId: oldest?.id } }),
    );
    expect(actions.actionExecutionDetails?.map((a) => a.stageName)).toContain("Source");
  });

  it("uses the api.github.com commit URL and plain messages for GitHub v1 sources", async () => {
    const out = await h.client.send(new ListPipelineExecutionsCommand({ pipelineName: "api-prod", maxResults: 30 }));
    const revs = (out.pipelineExecutionSummaries ?? []).flatMap((s) => s.sourceRevisions ?? []);
    expect(revs.length).toBeGreaterThan(0);
    for (const r of revs)
      expect(r.revisionUrl).toMatch(/^https:\/\/api\.github\.com\/repos\/acme\/api\/git\/commits\/[0-9a-f]{40}$/);
    const messages = revs.map((r) => r.revisionSummary ?? "");
    expect(messages.some((m) => m.startsWith("{"))).toBe(false);
  });

  it("filters executions that succeeded in a stage", async () => {
    const out = await h.client.send(
      new ListPipelineExecutionsCommand({
        pipelineName: "web-app-staging",
        filter: { succeededInStage: { stageName: "Deploy" } },
        maxResults: 20,
      }),
    );
    expect(out.pipelineExecutionSummaries?.length).toBeGreaterThan(0);
    for (const s of out.pipelineExecutionSummaries ?? []) {
      const actions = await h.client.send(
        new ListActionExecutionsCommand({
          pipelineName: "web-app-staging",
          filter: { pipelineExecutionId: s.pipelineExecutionId },
        }),
      );
      expect(actions.actionExecutionDetails?.some((a) => a.stageName === "Deploy" && a.status === "Succeeded")).toBe(
        true,
      );
    }
  });

  it("gives history executions of stages with conditions their rule executions, newest first, page by page", async () => {
    const rules: RuleExecutionDetail[] = [];
    let pages = 0;
    for await (const page of paginateListRuleExecutions(
      { client: h.client, pageSize: 7 },
      { pipelineName: "web-app-prod" },
    )) {
      pages++;
      rules.push(...(page.ruleExecutionDetails ?? []));
    }
    type TruthRule = { id: string };
    const truth = (await h.control("GET", "/_sandbox/truth?pipeline=web-app-prod")) as {
      pipelines: { executions: { id: string; stages: { rules: TruthRule[] }[] }[] }[];
    };
    const executions = truth.pipelines[0]?.executions ?? [];
    const expected = executions.flatMap((e) =>
      e.stages
        .flatMap((s) => s.rules)
        .reverse()
        .map((r) => r.id),
    );
    expect(rules.length).toBeGreaterThan(20);
    expect(pages).toBe(Math.ceil(rules.length / 7));
    expect(rules.map((r) => r.ruleExecutionId)).toEqual(expected);
    const order = executions.map((e) => e.id);
    const positions = rules.map((r) => order.indexOf(r.pipelineExecutionId ?? ""));
    expect(positions.every((p, i) => p >= 0 && p >= (positions[i - 1] ?? 0))).toBe(true);
    for (const r of rules) {
      expect(r).toMatchObject({
        stageName: "Production",
        ruleName: "NoActiveAlarms",
        status: "Succeeded",
        input: { ruleTypeId: { provider: "CloudWatchAlarm" } },
        output: { executionResult: { externalExecutionSummary: "No alarms in ALARM state" } },
      });
      expect(r.lastUpdateTime?.getTime() ?? 0).toBeGreaterThan(r.startTime?.getTime() ?? Infinity);
    }
    const one = rules[rules.length - 1];
    const filtered = await h.client.send(
      new ListRuleExecutionsCommand({
        pipelineName: "web-app-prod",
        filter: { pipelineExecutionId: one?.pipelineExecutionId },
      }),
    );
    expect(filtered.ruleExecutionDetails?.map((r) => r.ruleExecutionId)).toEqual([one?.ruleExecutionId]);
    // Generated from the seed: another sandbox with the same seed has the same rule executions.
    const twin = await harness();
    try {
      const first = await twin.client.send(
        new ListRuleExecutionsCommand({ pipelineName: "web-app-prod", maxResults: 100 }),
      );
      expect(first.ruleExecutionDetails?.slice(-5)).toEqual(rules.slice(0, 100).slice(-5));
    } finally {
      await twin.close();
    }
  });

  it("has no rule executions for pipelines without conditions", async () => {
    const out = await h.client.send(new ListRuleExecutionsCommand({ pipelineName: "web-app-staging" }));
    expect(out).toMatchObject({ ruleExecutionDetails: [] });
    expect(out.nextToken).toBeUndefined();
  });

  it("lists tags by ARN", async () => {
    const out = await h.client.send(
      new ListTagsForResourceCommand({ resourceArn: "arn:aws:codepipeline:us-east-1:111122223333:web-app-prod" }),
    );
    expect(out.tags).toContainEqual({ key: "team", value: "acme" });
    await expect(
      h.client.send(
        new ListTagsForResourceCommand({ resourceArn: "arn:aws:codepipeline:us-east-1:111122223333:nope" }),
      ),
    ).rejects.toMatchObject({ name: "ResourceNotFoundException" });
    await expect(
      h.client.send(
        new ListTagsForResourceCommand({ resourceArn: "arn:aws:codepipeline:us-east-1:111122223333:bad name/x" }),
      ),
    ).rejects.toMatchObject({ name: "InvalidArnException" });
  });
});

describe("wire protocol", () => {
  it("answers errors with __type, x-amzn-ErrorType, message and a request id", async () => {
    const res = await raw("CodePipeline_20150709.GetPipelineState", JSON.stringify({ name: "nope" }));
    expect(res).toMatchObject({
      status: 400,
      type: "PipelineNotFoundException",
      body: { __type: "PipelineNotFoundException" },
    });
    expect(res.body.message).toContain("'nope'");
    expect(res.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("rejects unknown operations, malformed JSON and invalid input", async () => {
    expect(await raw("CodePipeline_20150709.Explode", "{}")).toMatchObject({
      status: 400,
      type: "UnknownOperationException",
    });
    expect(await raw("CodePipeline_20150709.ListPipelines", "{not json")).toMatchObject({
      status: 400,
      type: "SerializationException",
    });
    await expect(h.client.send(new GetPipelineStateCommand({ name: "bad name!" }))).rejects.toMatchObject({
      name: "ValidationException",
    });
  });

  it("rejects forged page tokens", async () => {
    await expect(h.client.send(new ListPipelinesCommand({ nextToken: "Zm9yZ2Vk" }))).rejects.toMatchObject({
      name: "InvalidNextTokenException",
    });
    const first = await h.client.send(new ListPipelinesCommand({ maxResults: 2 }));
    await expect(
      h.client.send(new ListPipelineExecutionsCommand({ pipelineName: "api-prod", nextToken: first.nextToken })),
    ).rejects.toMatchObject({ name: "InvalidNextTokenException" });
  });
});
