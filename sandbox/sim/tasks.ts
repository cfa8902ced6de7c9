// Runs scheduler tasks and the live demo's webhook-like activity.
import { pickBy } from "../core/hash";
import type { Task } from "../core/scheduler";
import type { CommitAuthor, PipelineRecord } from "../core/types";
import type { World } from "../core/world";
import { COMMIT_MESSAGES } from "../fleet/catalog";
import { autoRollback, expireApproval, retryStage, approve } from "./commands";
import { recordPush } from "./commits";
import { onRuleDone } from "./conditions";
import { onActionDone, startExecution } from "./engine";
import type { ExecutionRecord } from "../core/types";
import { currentDeclaration, lastStageRun } from "./lookup";
import { revisionFor, sourceActions } from "./revisions";

export function runTask(world: World, task: Task): void {
  const exec = world.executions.get(task.ref);
  const stage = String(task.data?.stage ?? "");
  switch (task.kind) {
    case "action-done":
      return onActionDone(world, task);
    case "rule-done":
      return onRuleDone(world, task);
    case "approval-expire":
      if (exec) expireApproval(world, exec, stage, String(task.data?.run));
      return;
    case "auto-approve":
      return autoAnswer(world, exec, stage, String(task.data?.run), task.data?.approve === true);
    case "auto-retry": {
      const p = world.pipelines.get(exec?.pipelineName ?? "");
      if (!p || !exec || exec.status !== "InProgress") return;
      const mode = task.data?.mode === "ALL_ACTIONS" ? "ALL_ACTIONS" : "FAILED_ACTIONS";
      try {
        retryStage(world, p, exec, stage, mode, true);
      } catch {
        // The stage moved on (stopped or replaced) before the automatic retry fired.
      }
      return;
    }
    case "auto-rollback":
      if (exec) {
        try {
          autoRollback(world, exec, stage);
        } catch {
          // Nothing eligible to roll back to.
        }
      }
      return;
    case "activity":
      return activity(world, task);
    case "push": {
      const p = world.pipelines.get(task.ref);
      if (p) startFromPush(world, p).clean = task.data?.clean === true || undefined;
      return;
    }
  }
}

function autoAnswer(world: World, exec: ExecutionRecord | undefined, stage: string, runId: string, ok: boolean): void {
  const action = exec && lastStageRun(exec, stage)?.actions.find((a) => a.id === runId);
  if (!exec || !action?.token || action.status !== "InProgress") return;
  const summary = ok ? "Verified on staging, approved" : "Rejected: error rate on staging too high";
  approve(
    world,
    action.token,
    { pipeline: exec.pipelineName, stage, action: action.actionName },
    ok ? "Approved" : "Rejected",
    summary,
    `arn:aws:iam::${world.env.account}:user/release-manager`,
  );
}

/** What a test or the control plane may impose on a push: who wrote its last commit, and its message. */
export interface PushOptions {
  author?: CommitAuthor;
  message?: string;
}

/** A new commit on the pipeline's branch, as a push webhook would deliver (with the commits it brings). */
export function pushCommit(
  world: World,
  p: PipelineRecord,
  options: PushOptions = {},
): NonNullable<PipelineRecord["head"]> {
  const sha =
    [world.rng.next(), world.rng.next(), world.rng.next()]
      .map((n) =>
        Math.floor(n * 0x100000000)
          .toString(16)
          .padStart(8, "0"),
      )
      .join("") + world.rng.uuid().replace(/-/g, "").slice(0, 16);
  // Drawn even when a message is given, so a scripted push leaves the rest of the simulation as it was.
  const drawn = pickBy(COMMIT_MESSAGES, world.rng.next());
  recordPush(p, { sha, message: options.message ?? drawn, createdMs: world.clock.now() - 30_000 }, options.author);
  return p.head ?? { sha, message: drawn, createdMs: world.clock.now() };
}

export function startFromPush(
  world: World,
  p: PipelineRecord,
  override?: ExecutionRecord["trigger"],
  push: PushOptions = {},
): ExecutionRecord {
  const decl = currentDeclaration(p);
  const commit = pushCommit(world, p, push);
  const source = sourceActions(decl)[0];
  const provider = source?.actionTypeId?.provider;
  const { account, region } = world.env;
  const trigger =
    provider === "CodeStarSourceConnection"
      ? {
          triggerType: decl.triggers?.length ? "WebhookV2" : "Webhook",
          triggerDetail: source?.configuration?.ConnectionArn ?? "",
        }
      : provider === "GitHub"
        ? {
            triggerType: "Webhook",
            triggerDetail: `arn:aws:codepipeline:${region}:${account}:webhook:${p.name}--Source--webhook`,
          }
        : {
            triggerType: "CloudWatchEvent",
            triggerDetail: `arn:aws:events:${region}:${account}:rule/codepipeline-${p.name}-source`,
          };
  return startExecution(world, p, {
    trigger: override ?? trigger,
    sources: sourceActions(decl).map((s) => revisionFor(world, s, commit)),
    variables: (decl.variables ?? []).map((v) => ({ name: v.name ?? "", resolvedValue: v.defaultValue ?? "" })),
  });
}

function activity(world: World, task: Task): void {
  const p = world.pipelines.get(task.ref);
  if (!p || !world.activity) return;
  const running = p.live.filter((id) => world.executions.get(id)?.status === "InProgress").length;
  if (running < 3) startFromPush(world, p);
  scheduleActivity(world, p);
}

export function scheduleActivity(world: World, p: PipelineRecord): void {
  if (p.profile.activityEveryMs <= 0) return;
  // Exponential gaps, like independent pushes.
  const gap = Math.max(5_000, Math.round(-Math.log(1 - world.rng.next()) * p.profile.activityEveryMs));
  world.scheduler.schedule(world.clock.now() + gap, "activity", p.name);
}
