import "server-only";
import { env } from "@/lib/env";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { defaultEnvironment } from "./default-environments";
import { readStoredForPipeline } from "./stored";
import type { EnvironmentTarget, WritebackSettings } from "./types";

// The write-back settings of one pipeline of a repository, as the outbox needs them: the instance's switches
// (WRITEBACK_*) under the repository's own (a switch its admins left unset takes the instance's), and each stage's
// environment: the one stored for this pipeline on the repository's settings page, else the default its name gives.
// Stored settings are read in the change feed consumer's transaction (stored.ts, one query by primary keys), so a
// change saved on the page applies from the next execution change the outbox maps.

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

export async function readWritebackSettings(
  tx: FeedTx,
  input: { repository: string; pipelineId: string; stageNames: readonly string[] },
): Promise<WritebackSettings> {
  const stored = await readStoredForPipeline(tx, input.pipelineId);
  return resolveWritebackSettings(instanceSwitches(), stored, input.stageNames);
}
