import "server-only";
import { env } from "@/lib/env";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { defaultEnvironment } from "./default-environments";
import type { EnvironmentTarget, WritebackSettings } from "./types";

// The write-back settings of one pipeline of a repository, as the outbox needs them: the instance's switches
// (WRITEBACK_*) and each stage's environment. `resolveWritebackSettings` already merges what a repository stores over
// them; the repository settings page that stores it is not built yet, so nothing is stored today.

export type Switches = Pick<WritebackSettings, "checkRuns" | "statuses" | "stageStatuses" | "deployments">;

/** What a repository stored: a switch left null takes the instance's; a stage mapped to null deploys nowhere. */
export type StoredSettings = {
  switches: { [K in keyof Switches]?: boolean | null };
  /** Stage name → its environment (null: none), for this pipeline; stages not named take the default. */
  environments: ReadonlyMap<string, EnvironmentTarget | null>;
};

export function instanceSwitches(): Switches {
  return {
    checkRuns: env.WRITEBACK_CHECK_RUNS,
    statuses: env.WRITEBACK_STATUSES,
    stageStatuses: env.WRITEBACK_STAGE_STATUSES,
    deployments: env.WRITEBACK_DEPLOYMENTS,
  };
}

/** Pure: the instance's switches under the repository's, and each stage's environment. */
export function resolveWritebackSettings(
  defaults: Switches,
  stored: StoredSettings | null,
  stageNames: readonly string[],
): WritebackSettings {
  const pick = (key: keyof Switches) => stored?.switches[key] ?? defaults[key];
  const environments = new Map<string, EnvironmentTarget>();
  for (const stage of stageNames) {
    const target = stored?.environments.has(stage) ? stored.environments.get(stage) : defaultEnvironment(stage);
    if (target) environments.set(stage, target);
  }
  return {
    checkRuns: pick("checkRuns"),
    statuses: pick("statuses"),
    stageStatuses: pick("statuses") && pick("stageStatuses"),
    deployments: pick("deployments"),
    environments,
  };
}

export function readWritebackSettings(
  _tx: FeedTx,
  input: { repository: string; pipelineId: string; stageNames: readonly string[] },
): Promise<WritebackSettings> {
  return Promise.resolve(resolveWritebackSettings(instanceSwitches(), null, input.stageNames));
}
