import { randomBytes } from "node:crypto";
import {
  CreatePipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
  UpdatePipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { build, harness, pipeline, script, type Harness } from "@/sandbox/testing/harness";
import type { CommandBody } from "@/lib/control/contract";
import type { TestDatabase } from "@/lib/server/testing/test-database";
import type * as ControlClient from "@/lib/server/aws/control-client";
import type * as Commands from "./index";
import type { SendContext } from "./send";

// Each command through the command client against the sandbox over HTTP, its effect read back from the
// sandbox's API as the sync engine would read it, and who started an execution read from Postgres.

const ADA = { githubId: 1001n, login: "ada" };
let h: Harness;
let database: TestDatabase;
let control: typeof ControlClient;
let commands: typeof Commands;
let n = 0;
let attempt = 100;

beforeAll(async () => {
  h = await harness({ pipelines: 0 });
  vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
  vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
  vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_TARGETS", JSON.stringify([{ id: "sandbox", region: "us-east-1", endpoint: h.sandbox.url }]));
  control = await import("@/lib/server/aws/control-client");
  commands = await import("./index");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  await database.db.target.create({ data: { id: "sandbox", accountId: "111122223333", region: "us-east-1" } });
});
afterAll(async () => {
  control?.resetControlClients();
  await h?.close();
  await database?.drop();
});

/** A pipeline in the sandbox (its creation run finished) and its row in Postgres. */
async function create(stages: Parameters<typeof pipeline>[1], extra: Parameters<typeof pipeline>[2] = {}) {
  const name = `c${++n}`;
  const declaration = pipeline(name, stages, extra);
  await h.client.send(new CreatePipelineCommand({ pipeline: declaration }));
  await h.advance(3_600_000);
  // The row and its stored declaration, as the sync engine writes them after GetPipeline.
  const row = await database.db.pipeline.create({
    data: {
      targetId: "sandbox",
      name,
      version: 1,
      pipelineType: extra.pipelineType ?? "V2",
      definitions: { create: { version: 1, definition: JSON.parse(JSON.stringify(declaration)) as object } },
    },
  });
  return { name, id: row.id };
}

async function send(body: CommandBody, target: { name: string; id: string }, attemptId = String(++attempt)) {
  const ctx: SendContext = {
    client: await control.controlClientFor("sandbox"),
    pipeline: { id: target.id, name: target.name, targetId: "sandbox", repositoryFullName: "acme/test" },
    attemptId,
  };
  return commands.sendFor(body, ADA, database.db)(ctx);
}

const state = (name: string) => h.client.send(new GetPipelineStateCommand({ name }));
const stageOf = async (name: string, stage: string) =>
  (await state(name)).stageStates?.find((s) => s.stageName === stage);
const execution = async (name: string, id: string) =>
  (await h.client.send(new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: id })))
    .pipelineExecution;
const startsSent = () => h.sandbox.stats.requests.StartPipelineExecution ?? 0;
const start = async (name: string) =>
  (await h.client.send(new StartPipelineExecutionCommand({ name }))).pipelineExecutionId ?? "";

describe("commands against the sandbox", () => {
  it("retry-stage retries the failed actions of a failed stage, in the same execution", async () => {
    const p = await create([{ name: "Build", actions: [build("A"), build("B")] }]);
    await script(h, p.name, "Build", "A", 60_000, "Failed");
    const id = await start(p.name);
    await h.advance(600_000);
    expect((await execution(p.name, id))?.status).toBe("Failed");
    await script(h, p.name, "Build", "A", 60_000, "Succeeded");
    const outcome = await send(
      { kind: "retry-stage", stageName: "Build", executionId: id, retryMode: "FAILED_ACTIONS" },
      p,
    );
    expect(outcome.message).toBe(`Retrying the failed actions of Build in execution ${id.slice(0, 8)}.`);
    expect(outcome.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    await h.advance(600_000);
    expect((await execution(p.name, id))?.status).toBe("Succeeded");
    expect((await stageOf(p.name, "Build"))?.retryStageMetadata).toMatchObject({ manualStageRetryAttempt: 1 });
  });

  it("stop-execution lets in-progress actions finish, with a reason naming the person", async () => {
    const p = await create([{ name: "Build", actions: [build("Slow")] }]);
    await script(h, p.name, "Build", "Slow", 300_000);
    const id = await start(p.name);
    await h.advance(20_000);
    const outcome = await send({ kind: "stop-execution", executionId: id, abandon: false, reason: "wrong branch" }, p);
    expect(outcome.message).toBe(`Stopping execution ${id.slice(0, 8)}, letting its in-progress actions finish.`);
    expect((await execution(p.name, id))?.status).toBe("Stopping");
    await h.advance(600_000);
    const summary = (
      await h.client.send(new ListPipelineExecutionsCommand({ pipelineName: p.name }))
    ).pipelineExecutionSummaries?.find((e) => e.pipelineExecutionId === id);
    expect(summary).toMatchObject({
      status: "Stopped",
      stopTrigger: { reason: "wrong branch (by @ada via Stageboard)" },
    });
  });

  it("stop-execution with abandon stops at once", async () => {
    const p = await create([{ name: "Build", actions: [build("Slow")] }]);
    await script(h, p.name, "Build", "Slow", 300_000);
    const id = await start(p.name);
    await h.advance(20_000);
    const outcome = await send({ kind: "stop-execution", executionId: id, abandon: true, reason: "" }, p);
    expect(outcome.message).toMatch(/abandoning its in-progress actions/);
    await h.advance(1_000);
    expect((await execution(p.name, id))?.status).toBe("Stopped");
  });

  it("disable-transition holds the stage with the reason fitted to AWS's pattern; enable-transition opens it", async () => {
    const p = await create([
      { name: "Build", actions: [build("A")] },
      { name: "Deploy", actions: [build("D")] },
    ]);
    const outcome = await send({ kind: "disable-transition", stageName: "Deploy", reason: "Freeze: see #1234" }, p);
    expect(outcome.message).toBe("Executions no longer enter Deploy: its transition is disabled.");
    expect((await stageOf(p.name, "Deploy"))?.inboundTransitionState).toMatchObject({
      enabled: false,
      disabledReason: "Freeze see 1234 (by @ada via Stageboard)",
    });
    const id = await start(p.name);
    await h.advance(600_000);
    expect((await stageOf(p.name, "Deploy"))?.inboundExecution?.pipelineExecutionId).toBe(id);
    await send({ kind: "enable-transition", stageName: "Deploy" }, p);
    expect((await stageOf(p.name, "Deploy"))?.inboundTransitionState?.enabled).toBe(true);
    await h.advance(600_000);
    expect((await execution(p.name, id))?.status).toBe("Succeeded");
  });

  it("start-execution starts a chosen commit with variables, once per attempt, and records who started it", async () => {
    const p = await create([{ name: "Build", actions: [build("A")] }], {
      variables: [{ name: "DEPLOY_ENV", defaultValue: "production" }],
    });
    const sha = "0123456789abcdef0123456789abcdef01234567";
    const body: CommandBody = {
      kind: "start-execution",
      sourceRevisions: [{ actionName: "Source", revisionValue: sha }],
      variables: [{ name: "DEPLOY_ENV", value: "canary" }],
    };
    const first = await send(body, p, "7");
    const again = await send(body, p, "7");
    expect(again.message).toBe(first.message);
    const id = /execution ([0-9a-f]{8})/.exec(first.message)?.[1] ?? "";
    expect(first.message).toBe(`Started execution ${id} of 0123456.`);
    const executions = (await h.client.send(new ListPipelineExecutionsCommand({ pipelineName: p.name })))
      .pipelineExecutionSummaries;
    const started = executions?.filter((e) => e.trigger?.triggerType === "StartPipelineExecution") ?? [];
    expect(started).toHaveLength(1);
    const full = await execution(p.name, started[0]?.pipelineExecutionId ?? "");
    expect(full?.artifactRevisions?.[0]?.revisionId).toBe(sha);
    expect(full?.variables).toEqual([{ name: "DEPLOY_ENV", resolvedValue: "canary" }]);
    const starters = await database.db.executionStarter.findMany({ where: { pipelineId: p.id } });
    expect(starters).toMatchObject([{ executionId: started[0]?.pipelineExecutionId, githubId: 1001n, login: "ada" }]);
  });

  it("start-execution of the latest source on a V1 pipeline; a chosen commit or variables there are refused before AWS", async () => {
    const p = await create([{ name: "Build", actions: [build("A")] }], { pipelineType: "V1" });
    const outcome = await send({ kind: "start-execution", sourceRevisions: [], variables: [] }, p);
    expect(outcome.message).toMatch(/^Started execution [0-9a-f]{8} of the latest source\.$/);
    const before = startsSent();
    await expect(
      send(
        {
          kind: "start-execution",
          sourceRevisions: [{ actionName: "Source", revisionValue: "abcdef1" }],
          variables: [],
        },
        p,
      ),
    ).rejects.toThrow(
      `${p.name} cannot be started at a chosen commit: it is a V1 pipeline; make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit.`,
    );
    await expect(
      send({ kind: "start-execution", sourceRevisions: [], variables: [{ name: "DEPLOY_ENV", value: "canary" }] }, p),
    ).rejects.toThrow("Only a V2 pipeline takes pipeline variables; release the latest change instead.");
    expect(startsSent()).toBe(before);
  });

  it("start-execution refuses a chosen commit for a GitHub (version 1) source of a V2 pipeline before AWS, as AWS would", async () => {
    const p = await create([{ name: "Build", actions: [build("A")] }]);
    const gitHubV1 = pipeline(p.name, [{ name: "Build", actions: [build("A")] }]);
    const source = gitHubV1.stages?.[0]?.actions?.[0];
    if (!source) throw new Error("no source action");
    Object.assign(source, {
      actionTypeId: { category: "Source", owner: "ThirdParty", provider: "GitHub", version: "1" },
      configuration: { Owner: "acme", Repo: "test", Branch: "main", OAuthToken: "****", PollForSourceChanges: "false" },
    });
    await h.client.send(new UpdatePipelineCommand({ pipeline: gitHubV1 }));
    const body: CommandBody = {
      kind: "start-execution",
      sourceRevisions: [{ actionName: "Source", revisionValue: "0123456789abcdef0123456789abcdef01234567" }],
      variables: [],
    };
    // What AWS answers when the stored declaration is still the connection one: a ValidationException.
    await expect(send(body, p)).rejects.toMatchObject({ name: "ValidationException" });
    await database.db.pipelineDefinition.create({
      data: { pipelineId: p.id, version: 2, definition: JSON.parse(JSON.stringify(gitHubV1)) as object },
    });
    const before = startsSent();
    await expect(send(body, p)).rejects.toThrow(
      `${p.name} cannot be started at a chosen commit: its source is the GitHub (version 1) action, which cannot start a chosen commit; move it to a CodeStar connection source.`,
    );
    expect(startsSent()).toBe(before);
  });

  it("rollback-stage runs the stage again with an earlier successful execution, started by the person", async () => {
    const p = await create([
      { name: "Build", actions: [build("A")] },
      { name: "Deploy", actions: [build("D")] },
    ]);
    const good = await start(p.name);
    await h.advance(600_000);
    await start(p.name);
    await h.advance(600_000);
    const outcome = await send({ kind: "rollback-stage", stageName: "Deploy", targetExecutionId: good }, p);
    const rollback = /in execution ([0-9a-f]{8})/.exec(outcome.message)?.[1] ?? "";
    expect(outcome.message).toBe(`Rolling Deploy back to execution ${good.slice(0, 8)} in execution ${rollback}.`);
    const [starter] = await database.db.executionStarter.findMany({ where: { pipelineId: p.id } });
    expect(starter?.executionId.startsWith(rollback)).toBe(true);
    const rolled = await execution(p.name, starter?.executionId ?? "");
    expect(rolled).toMatchObject({
      executionType: "ROLLBACK",
      rollbackMetadata: { rollbackTargetPipelineExecutionId: good },
    });
  });

  it("override-condition lets an execution waiting on a stage's entry condition in", async () => {
    const windowRule = {
      name: "Window",
      ruleTypeId: { category: "Rule" as const, owner: "AWS" as const, provider: "DeploymentWindow", version: "1" },
      configuration: { Cron: "0 9 ? * MON-FRI *" },
    };
    const p = await create([
      { name: "Build", actions: [build("A")] },
      { name: "Late", actions: [build("L")], beforeEntry: { conditions: [{ result: "FAIL", rules: [windowRule] }] } },
    ]);
    const id = await start(p.name);
    await h.advance(600_000);
    expect((await stageOf(p.name, "Late"))?.beforeEntryConditionState?.latestExecution?.status).toBe("InProgress");
    const outcome = await send(
      { kind: "override-condition", stageName: "Late", executionId: id, conditionType: "BEFORE_ENTRY" },
      p,
    );
    expect(outcome.message).toBe(`The entry condition of Late is overridden for execution ${id.slice(0, 8)}.`);
    await h.advance(600_000);
    expect((await execution(p.name, id))?.status).toBe("Succeeded");
  });

  it("lets AWS's error through for runCommand to describe", async () => {
    const p = await create([{ name: "Build", actions: [build("A")] }]);
    await expect(
      send(
        {
          kind: "retry-stage",
          stageName: "Build",
          executionId: "00000000-0000-4000-8000-000000000000",
          retryMode: "ALL_ACTIONS",
        },
        p,
      ),
    ).rejects.toHaveProperty("$metadata.httpStatusCode", 400);
  });
});
