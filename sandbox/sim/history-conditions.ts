// Condition runs of generated history. The history's stage and action times are fixed, so the rules are
// fit inside the stage they guarded: before-entry rules from its start, on-success rules up to its end.
// Every rule passed: the stage went on as if it had, and a failed rule would have failed the stage.
// On-failure conditions are left out, as the live simulation never evaluates them either.
import type { Condition, StageDeclaration } from "@aws-sdk/client-codepipeline";
import { uuidFrom } from "../core/hash";
import type { ConditionKind, ConditionRun, RuleRun } from "../core/types";
import { passedRule } from "./behaviour";

interface StageWindow {
  executionId: string;
  stageName: string;
  startMs: number;
  endMs: number;
}

function passedCondition(w: StageWindow, kind: ConditionKind, conditions: Condition[]): ConditionRun | undefined {
  const declared = conditions.flatMap((c) => c.rules ?? []);
  if (declared.length === 0) return undefined;
  const span = Math.max(0, w.endMs - w.startMs);
  const rules = declared.map((rule): RuleRun => {
    const id = uuidFrom(w.executionId, w.stageName, kind, rule.name ?? "");
    const passed = passedRule(rule, id);
    const duration = Math.min(passed.durationMs, span);
    const startMs = kind === "BEFORE_ENTRY" ? w.startMs : w.endMs - duration;
    return {
      id,
      ruleName: rule.name ?? "",
      provider: rule.ruleTypeId?.provider ?? "",
      status: "Succeeded",
      startMs,
      lastUpdateMs: startMs + duration,
      summary: passed.summary,
    };
  });
  const startMs = Math.min(...rules.map((r) => r.startMs));
  const lastMs = Math.max(...rules.map((r) => r.lastUpdateMs));
  return { kind, status: "Succeeded", summary: "All rules succeeded", startMs, lastMs, rules };
}

/** Conditions of one history stage run, in the order they were evaluated. */
export function historyConditions(stage: StageDeclaration, w: StageWindow, actionsSucceeded: boolean): ConditionRun[] {
  const out: ConditionRun[] = [];
  const before = passedCondition(w, "BEFORE_ENTRY", stage.beforeEntry?.conditions ?? []);
  if (before) out.push(before);
  const after = actionsSucceeded ? passedCondition(w, "ON_SUCCESS", stage.onSuccess?.conditions ?? []) : undefined;
  if (after) out.push(after);
  return out;
}
