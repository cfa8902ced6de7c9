// Stage conditions: rules are evaluated as scheduled tasks. VariableCheck really compares the execution's
// variables; CloudWatchAlarm may fail at the pipeline's failure rate; DeploymentWindow keeps the condition
// waiting (30 minutes) so an override can be exercised.
import type { Condition, RuleDeclaration } from "@aws-sdk/client-codepipeline";
import { unit } from "../core/hash";
import type { Task } from "../core/scheduler";
import type { ConditionKind, ConditionRun, ExecutionRecord, RuleRun, StageRun } from "../core/types";
import type { World } from "../core/world";
import { passedRule } from "./behaviour";
import { pipelineOf, stageFailed, stageSucceeded, startNextGroup } from "./engine";
import { lastStageRun, stageDecl } from "./lookup";

function conditionsOf(world: World, exec: ExecutionRecord, kind: ConditionKind): Condition[] {
  const stage = stageDecl(pipelineOf(world, exec), exec, exec.cursor);
  if (kind === "BEFORE_ENTRY") return stage?.beforeEntry?.conditions ?? [];
  if (kind === "ON_SUCCESS") return stage?.onSuccess?.conditions ?? [];
  return stage?.onFailure?.conditions ?? [];
}

function evaluate(
  world: World,
  exec: ExecutionRecord,
  rule: RuleDeclaration,
  runId: string,
): { durationMs: number; ok: boolean; summary: string } {
  const p = pipelineOf(world, exec);
  const cfg = rule.configuration ?? {};
  const passed = passedRule(rule, runId);
  switch (rule.ruleTypeId?.provider) {
    case "VariableCheck": {
      const ref = /^#\{variables\.([A-Za-z0-9@\-_]+)\}$/.exec(cfg.Variable ?? "");
      const actual = ref ? exec.variables.find((v) => v.name === ref[1])?.resolvedValue : cfg.Variable;
      const expected = cfg.Value ?? "";
      const op = cfg.Operator ?? "EQ";
      const ok =
        op === "NE" ? actual !== expected : op === "CONTAINS" ? (actual ?? "").includes(expected) : actual === expected;
      return {
        ...passed,
        ok,
        summary: ok ? passed.summary : `Variable check failed: '${actual ?? ""}' ${op} '${expected}'`,
      };
    }
    case "CloudWatchAlarm": {
      const ok = unit(runId, "alarm") >= p.profile.failureRate / 2;
      return { ...passed, ok, summary: ok ? passed.summary : `Alarm ${cfg.AlarmNames ?? ""} is in ALARM state` };
    }
    default:
      return { ...passed, ok: true };
  }
}

export function startCondition(world: World, exec: ExecutionRecord, run: StageRun, kind: ConditionKind): void {
  const now = world.clock.now();
  const rules = conditionsOf(world, exec, kind).flatMap((c) => c.rules ?? []);
  const cond: ConditionRun = { kind, status: "InProgress", startMs: now, lastMs: now, rules: [] };
  run.conditions.push(cond);
  for (const rule of rules) {
    const r: RuleRun = {
      id: world.rng.uuid(),
      ruleName: rule.name ?? "",
      provider: rule.ruleTypeId?.provider ?? "",
      status: "InProgress",
      startMs: now,
      lastUpdateMs: now,
    };
    cond.rules.push(r);
    const script = world.scripts.get(`${exec.pipelineName}/${run.name}/${r.ruleName}`);
    const result = evaluate(world, exec, rule, r.id);
    const ok = script?.outcome ? script.outcome === "Succeeded" : result.ok;
    world.scheduler.schedule(now + (script?.durationMs ?? result.durationMs), "rule-done", exec.id, {
      stage: run.name,
      rule: r.id,
      ok,
      summary: ok && !result.ok ? "Rule succeeded" : result.summary,
    });
  }
  if (rules.length === 0) finishCondition(world, exec, run, cond, true);
}

export function onRuleDone(world: World, task: Task): void {
  const exec = world.executions.get(task.ref);
  const run = exec && lastStageRun(exec, String(task.data?.stage));
  const cond = run?.conditions[run.conditions.length - 1];
  const rule = cond?.rules.find((r) => r.id === task.data?.rule);
  if (!exec || !run || !cond || !rule || rule.status !== "InProgress" || cond.status !== "InProgress") return;
  const ok = task.data?.ok === true;
  rule.status = ok ? "Succeeded" : "Failed";
  rule.lastUpdateMs = world.clock.now();
  rule.summary = String(task.data?.summary ?? "");
  if (!ok) rule.errorDetails = { code: "RuleFailed", message: rule.summary };
  if (!ok) return finishCondition(world, exec, run, cond, false);
  if (cond.rules.every((r) => r.status === "Succeeded")) finishCondition(world, exec, run, cond, true);
}

export function finishCondition(
  world: World,
  exec: ExecutionRecord,
  run: StageRun,
  cond: ConditionRun,
  ok: boolean,
  overridden = false,
): void {
  const now = world.clock.now();
  cond.status = overridden ? "Overridden" : ok ? "Succeeded" : "Failed";
  cond.lastMs = now;
  cond.summary = overridden ? "Condition overridden" : ok ? "All rules succeeded" : "One or more rules failed";
  for (const r of cond.rules) {
    if (r.status === "InProgress") {
      r.status = "Abandoned";
      r.lastUpdateMs = now;
    }
  }
  if (exec.status !== "InProgress" || run.status !== "InProgress") return;
  if (!ok) return stageFailed(world, exec, run, `Stage condition ${cond.kind} failed`);
  if (cond.kind === "BEFORE_ENTRY") startNextGroup(world, exec, run);
  else stageSucceeded(world, exec, run);
}
