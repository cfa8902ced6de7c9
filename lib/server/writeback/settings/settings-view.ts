import "server-only";
import type { Db } from "@/lib/server/db/client";
import {
  WRITEBACK_SWITCHES,
  type StageEnvironmentView,
  type WritebackSettingsView,
  type WritebackSwitch,
} from "@/lib/writeback/settings-schemas";
import type { WritebackRepository } from "./access";
import { defaultEnvironment } from "./default-environments";
import { instanceSwitches, resolveWritebackSettings } from "./read";
import { readStoredForRepository, type StoredStage } from "./stored";

// What the settings page shows of a repository's write-back: each switch in effect, the instance's default and the
// repository's own; and per pipeline each stage's environment, stored or the default its name gives.

/** Pure: one pipeline's stages as the page lists them, in the pipeline's order. */
export function stageViews(stageNames: readonly string[], stored: readonly StoredStage[]): StageEnvironmentView[] {
  const byStage = new Map(stored.map((s) => [s.stage, s.target]));
  return stageNames.map((stage) => {
    const fallback = defaultEnvironment(stage);
    return byStage.has(stage)
      ? { stage, source: "stored", target: byStage.get(stage) ?? null, default: fallback }
      : { stage, source: "default", target: fallback, default: fallback };
  });
}

/** The pipelines the repository's settings may name: not deleted, delivering the repository of this GitHub id. */
export function repositoryPipelines(db: Db, githubId: bigint) {
  return db.pipeline.findMany({
    where: { repository: { githubId }, deletedAt: null },
    orderBy: { name: "asc" },
    select: { id: true, name: true, stages: { select: { name: true }, orderBy: { position: "asc" } } },
  });
}

export async function loadWritebackSettingsView(
  db: Db,
  repository: WritebackRepository,
): Promise<WritebackSettingsView> {
  const [stored, pipelines] = await Promise.all([
    readStoredForRepository(db, repository.githubId),
    repositoryPipelines(db, repository.githubId),
  ]);
  const instance = instanceSwitches();
  const effective = resolveWritebackSettings(instance, { switches: stored.switches, environments: new Map() }, []);
  const switches = Object.fromEntries(
    WRITEBACK_SWITCHES.map((key) => [
      key,
      { effective: effective[key], instance: instance[key], override: stored.switches[key] },
    ]),
  ) as WritebackSettingsView["switches"] satisfies Record<WritebackSwitch, unknown>;
  return {
    repository: repository.fullName,
    switches,
    pipelines: pipelines.map((p) => ({
      id: p.id,
      name: p.name,
      stages: stageViews(
        p.stages.map((s) => s.name),
        stored.pipelines.get(p.id) ?? [],
      ),
    })),
  };
}
