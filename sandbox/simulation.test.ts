// Simulation semantics on pipelines created through the SDK, driven by the manual clock.
import {
  CreatePipelineCommand,
  DeletePipelineCommand,
  DisableStageTransitionCommand,
  EnableStageTransitionCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListActionExecutionsCommand,
  ListPipelineExecutionsCommand,
  ListRuleExecutionsCommand,
  OverrideStageConditionCommand,
  PutApprovalResultCommand,
  RetryStageExecutionCommand,
  RollbackStageCommand,
  StartPipelineExecutionCommand,
  StopPipelineExecutionCommand,
  UpdatePipelineCommand,
  GetPipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { approval, build, harness, pipeline, script, type Harness } from "./testing/harness";

let h: Harness;
let n = 0;
beforeAll(async () => {
  h = await harness({ pipelines: 0 });
});
afterAll(async () => {
  await h.close();
  expect(h.validator.errors().slice(0, 5)).toEqual([]);
});

/** Creates a pipeline, lets its creation run finish, and returns its name. */
async function create(
  stages: Parameters<typeof pipeline>[1],
  extra: Parameters<typeof pipeline>[2] = {},
): Promise<string> {
  const name = `p${++n}`;
  await h.client.send(new CreatePipelineCommand({ pipeline: pipeline(name, stages, extra) }));
  await h.advance(3_600_000);
  return name;
}

async function start(name: string): Promise<string> {
  return (await h.client.send(new StartPipelineExecutionCommand({ name }))).pipelineExecutionId ?? "";
}

async function status(name: string, id: string) {
  return (await h.client.send(new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: id })))
    .pipelineExecution?.status;
}

async function actions(name: string, id: string) {
  return (
    (await h.client.send(new ListActionExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId: id } })))
      .actionExecutionDetails ?? []
  );
}

describe("ordering", () => {
  it("runs equal run orders in parallel and later run orders after them", async () => {
    const name = await create([{ name: "Build", actions: [build("A", 1), build("B", 1), build("C", 2)] }]);
    await script(h, name, "Build", "A", 10_000);
    await script(h, name, "Build", "B", 30_000);
    await script(h, name, "Build", "C", 5_000);
    const id = await start(name);
    await h.advance(3_600_000);
    const byName = new Map((await actions(name, id)).map((a) => [a.actionName ?? "", a]));
    expect(byName.get("A")?.startTime?.getTime()).toBe(byName.get("B")?.startTime?.getTime());
    expect(byName.get("C")?.startTime?.getTime()).toBe(byName.get("B")?.lastUpdateTime?.getTime());
    expect(await status(name, id)).toBe("Succeeded");
  });

  it("a pipeline name can be used once", async () => {
    const name = await create([{ name: "Build", actions: [build("A")] }]);
    await expect(
      h.client.send(
        new CreatePipelineCommand({ pipeline: pipeline(name, [{ name: "Build", actions: [build("A")] }]) }),
      ),
    ).rejects.toMatchObject({ name: "PipelineNameInUseException" });
  });
});

describe("transitions and execution modes", () => {
  it("holds executions at a disabled transition and releases them on enable", async () => {
    const name = await create([
      { name: "Build", actions: [build("A")] },
      { name: "Deploy", actions: [build("D")] },
    ]);
    await h.client.send(
      new DisableStageTransitionCommand({
        pipelineName: name,
        stageName: "Deploy",
        transitionType: "Inbound",
        reason: "Release freeze",
      }),
    );
    const id = await start(name);
    await h.advance(3_600_000);
    let state = await h.client.send(new GetPipelineStateCommand({ name }));
    let deploy = state.stageStates?.find((s) => s.stageName === "Deploy");
    expect(deploy?.inboundTransitionState).toMatchObject({ enabled: false, disabledReason: "Release freeze" });
    expect(deploy?.inboundExecution).toMatchObject({ pipelineExecutionId: id, status: "InProgress" });
    await h.client.send(
      new EnableStageTransitionCommand({ pipelineName: name, stageName: "Deploy", transitionType: "Inbound" }),
    );
    await h.advance(3_600_000);
    state = await h.client.send(new GetPipelineStateCommand({ name }));
    deploy = state.stageStates?.find((s) => s.stageName === "Deploy");
    expect(deploy?.inboundExecutions).toEqual([]);
    expect(await status(name, id)).toBe("Succeeded");
  });

  it("SUPERSEDED: a newer waiting execution replaces the older one", async () => {
    const name = await create([
      { name: "Build", actions: [build("A")] },
      { name: "Deploy", actions: [build("D")] },
    ]);
    await h.client.send(
      new DisableStageTransitionCommand({
        pipelineName: name,
        stageName: "Deploy",
        transitionType: "Inbound",
        reason: "hold",
      }),
    );
    const first = await start(name);
    await h.advance(3_600_000);
    const second = await start(name);
    await h.advance(3_600_000);
    expect(await status(name, first)).toBe("Superseded");
    expect(await status(name, second)).toBe("InProgress");
  });

  it("QUEUED: waiting executions run one at a time in order", async () => {
    const name = await create([{ name: "Build", actions: [build("A")] }], { executionMode: "QUEUED" });
    await script(h, name, "Build", "A", 60_000);
    const ids = [await start(name), await start(name), await start(name)];
    await h.advance(30_000);
    const state = await h.client.send(new GetPipelineStateCommand({ name }));
    expect(state.stageStates?.[1]?.inboundExecutions?.length ?? 0).toBeGreaterThan(0);
    await h.advance(3_600_000);
    const starts = await Promise.all(
      ids.map(async (id) => (await actions(name, id)).find((a) => a.stageName === "Build")?.startTime?.getTime() ?? 0),
    );
    expect(starts[1]).toBeGreaterThan(starts[0] ?? 0);
    expect(starts[2]).toBeGreaterThan(starts[1] ?? 0);
    for (const id of ids) expect(await status(name, id)).toBe("Succeeded");
  });

  it("PARALLEL: executions overlap and approval tokens come from ListActionExecutions", async () => {
    const name = await create([{ name: "Gate", actions: [approval()] }], { executionMode: "PARALLEL" });
    const a = await start(name);
    const b = await start(name);
    await h.advance(60_000);
    const state = await h.client.send(new GetPipelineStateCommand({ name }));
    expect(state.stageStates?.[1]?.actionStates?.[0]?.latestExecution?.token).toBeUndefined();
    const details =
      (
        await h.client.send(
          new ListActionExecutionsCommand({
            pipelineName: name,
            filter: { latestInPipelineExecution: { pipelineExecutionId: a, startTimeRange: "Latest" } },
          }),
        )
      ).actionExecutionDetails ?? [];
    const token = details.find((d) => d.stageName === "Gate")?.output?.executionResult?.externalExecutionId;
    expect(token).toMatch(/^[0-9a-f-]{36}$/);
    await h.client.send(
      new PutApprovalResultCommand({
        pipelineName: name,
        stageName: "Gate",
        actionName: "Approve",
        token,
        result: { status: "Approved", summary: "go" },
      }),
    );
    await h.advance(1_000);
    expect(await status(name, a)).toBe("Succeeded");
    expect(await status(name, b)).toBe("InProgress");
  });
});

describe("approvals", () => {
  it("expire after 7 days and then reject their token", async () => {
    const name = `p${++n}`;
    await h.client.send(
      new CreatePipelineCommand({ pipeline: pipeline(name, [{ name: "Gate", actions: [approval()] }]) }),
    );
    await h.advance(60_000);
    const gate = (await h.client.send(new GetPipelineStateCommand({ name }))).stageStates?.[1];
    const id = gate?.latestExecution?.pipelineExecutionId ?? "";
    const token = gate?.actionStates?.[0]?.latestExecution?.token ?? "";
    await h.advance(7 * 86_400_000 - 120_000);
    expect(await status(name, id)).toBe("InProgress");
    await h.advance(120_000);
    expect(await status(name, id)).toBe("Failed");
    await expect(
      h.client.send(
        new PutApprovalResultCommand({
          pipelineName: name,
          stageName: "Gate",
          actionName: "Approve",
          token,
          result: { status: "Approved", summary: "late" },
        }),
      ),
    ).rejects.toMatchObject({ name: "InvalidApprovalTokenException" });
  });
});

describe("failure, retry, stop, rollback", () => {
  it("fails with error details and retries only the failed actions", async () => {
    const name = await create([{ name: "Build", actions: [build("Ok"), build("Flaky")] }]);
    await script(h, name, "Build", "Flaky", 5_000, "Failed");
    const id = await start(name);
    await h.advance(600_000);
    expect(await status(name, id)).toBe("Failed");
    const failed = (await actions(name, id)).find((a) => a.actionName === "Flaky");
    expect(failed?.output?.executionResult?.errorDetails?.code).toBe("JobFailed");
    await expect(
      h.client.send(
        new RetryStageExecutionCommand({
          pipelineName: name,
          stageName: "Source",
          pipelineExecutionId: id,
          retryMode: "FAILED_ACTIONS",
        }),
      ),
    ).rejects.toMatchObject({ name: "StageNotRetryableException" });
    await script(h, name, "Build", "Flaky", 5_000, "Succeeded");
    await h.client.send(
      new RetryStageExecutionCommand({
        pipelineName: name,
        stageName: "Build",
        pipelineExecutionId: id,
        retryMode: "FAILED_ACTIONS",
      }),
    );
    await h.advance(600_000);
    expect(await status(name, id)).toBe("Succeeded");
    const runs = (await actions(name, id)).filter((a) => a.stageName === "Build");
    expect(runs.filter((a) => a.actionName === "Ok")).toHaveLength(1);
    expect(runs.filter((a) => a.actionName === "Flaky")).toHaveLength(2);
    const state = await h.client.send(new GetPipelineStateCommand({ name }));
    expect(state.stageStates?.[1]?.retryStageMetadata).toMatchObject({
      manualStageRetryAttempt: 1,
      latestRetryTrigger: "ManualStageRetry",
    });
  });

  it("stops (waiting for running actions) and abandons (at once)", async () => {
    const name = await create([{ name: "Build", actions: [build("Long")] }], { executionMode: "PARALLEL" });
    await script(h, name, "Build", "Long", 100_000);
    const a = await start(name);
    const b = await start(name);
    await h.advance(20_000);
    await h.client.send(
      new StopPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: a, reason: "not now" }),
    );
    expect(await status(name, a)).toBe("Stopping");
    await expect(
      h.client.send(new StopPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: a })),
    ).rejects.toMatchObject({ name: "DuplicatedStopRequestException" });
    await h.client.send(
      new StopPipelineExecutionCommand({
        pipelineName: name,
        pipelineExecutionId: b,
        abandon: true,
        reason: "abandon",
      }),
    );
    expect(await status(name, b)).toBe("Stopped");
    expect((await actions(name, b)).find((x) => x.actionName === "Long")?.status).toBe("Abandoned");
    await h.advance(200_000);
    expect(await status(name, a)).toBe("Stopped");
    expect((await actions(name, a)).find((x) => x.actionName === "Long")?.status).toBe("Succeeded");
    const list = await h.client.send(new ListPipelineExecutionsCommand({ pipelineName: name }));
    expect(list.pipelineExecutionSummaries?.find((s) => s.pipelineExecutionId === a)?.stopTrigger?.reason).toBe(
      "not now",
    );
    await expect(
      h.client.send(new StopPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: a })),
    ).rejects.toMatchObject({ name: "PipelineExecutionNotStoppableException" });
  });

  it("rolls a stage back to an earlier successful execution", async () => {
    const name = await create([{ name: "Deploy", actions: [build("Ship")] }]);
    const good = await start(name);
    await h.advance(600_000);
    const latest = await start(name);
    await h.advance(600_000);
    const out = await h.client.send(
      new RollbackStageCommand({ pipelineName: name, stageName: "Deploy", targetPipelineExecutionId: good }),
    );
    await h.advance(600_000);
    const rb = (
      await h.client.send(
        new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: out.pipelineExecutionId }),
      )
    ).pipelineExecution;
    expect(rb).toMatchObject({
      executionType: "ROLLBACK",
      status: "Succeeded",
      rollbackMetadata: { rollbackTargetPipelineExecutionId: good },
      trigger: { triggerType: "ManualRollback" },
    });
    expect(latest).not.toBe(good);
    await expect(
      h.client.send(
        new RollbackStageCommand({
          pipelineName: name,
          stageName: "Deploy",
          targetPipelineExecutionId: "00000000-0000-4000-8000-000000000000",
        }),
      ),
    ).rejects.toMatchObject({ name: "PipelineExecutionNotFoundException" });
  });
});

describe("conditions, variables, idempotency, versions", () => {
  it("fails a stage whose VariableCheck rule fails and lets an override pass a waiting window", async () => {
    const rule = {
      name: "EnvIsProd",
      ruleTypeId: { category: "Rule" as const, owner: "AWS" as const, provider: "VariableCheck", version: "1" },
      configuration: { Variable: "#{variables.ENV}", Value: "prod", Operator: "EQ" },
    };
    const windowRule = {
      name: "Window",
      ruleTypeId: { category: "Rule" as const, owner: "AWS" as const, provider: "DeploymentWindow", version: "1" },
      configuration: { Cron: "0 9 ? * MON-FRI *" },
    };
    const name = await create(
      [
        { name: "Deploy", actions: [build("Ship")], beforeEntry: { conditions: [{ result: "FAIL", rules: [rule] }] } },
        { name: "Late", actions: [build("L")], beforeEntry: { conditions: [{ result: "FAIL", rules: [windowRule] }] } },
      ],
      { variables: [{ name: "ENV", defaultValue: "prod" }] },
    );
    const bad =
      (await h.client.send(new StartPipelineExecutionCommand({ name, variables: [{ name: "ENV", value: "dev" }] })))
        .pipelineExecutionId ?? "";
    await h.advance(120_000);
    expect(await status(name, bad)).toBe("Failed");
    const rules = await h.client.send(
      new ListRuleExecutionsCommand({ pipelineName: name, filter: { pipelineExecutionId: bad } }),
    );
    expect(rules.ruleExecutionDetails?.[0]).toMatchObject({ ruleName: "EnvIsProd", status: "Failed" });
    const good = await start(name);
    await h.advance(600_000);
    const late = (await h.client.send(new GetPipelineStateCommand({ name }))).stageStates?.find(
      (s) => s.stageName === "Late",
    );
    expect(late?.beforeEntryConditionState?.latestExecution?.status).toBe("InProgress");
    await h.client.send(
      new OverrideStageConditionCommand({
        pipelineName: name,
        stageName: "Late",
        pipelineExecutionId: good,
        conditionType: "BEFORE_ENTRY",
      }),
    );
    await h.advance(600_000);
    expect(await status(name, good)).toBe("Succeeded");
    await expect(
      h.client.send(
        new OverrideStageConditionCommand({
          pipelineName: name,
          stageName: "Late",
          pipelineExecutionId: good,
          conditionType: "BEFORE_ENTRY",
        }),
      ),
    ).rejects.toMatchObject({ name: "ConditionNotOverridableException" });
  });

  it("honours clientRequestToken and bumps the version on update", async () => {
    const name = await create([{ name: "Build", actions: [build("A")] }]);
    const one = await h.client.send(new StartPipelineExecutionCommand({ name, clientRequestToken: "release-42" }));
    const two = await h.client.send(new StartPipelineExecutionCommand({ name, clientRequestToken: "release-42" }));
    expect(two.pipelineExecutionId).toBe(one.pipelineExecutionId);
    const current = (await h.client.send(new GetPipelineCommand({ name }))).pipeline;
    const updated = await h.client.send(
      new UpdatePipelineCommand({
        pipeline: { ...current, name, roleArn: current?.roleArn ?? "", stages: current?.stages ?? [] },
      }),
    );
    expect(updated.pipeline?.version).toBe(2);
    await h.client.send(new DeletePipelineCommand({ name }));
    await expect(h.client.send(new GetPipelineStateCommand({ name }))).rejects.toMatchObject({
      name: "PipelineNotFoundException",
    });
  });
});
