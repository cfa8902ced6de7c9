import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createControlFixture, type ControlFixture } from "../testing/control-fixture";
import type { loadPolicySettings } from "./settings-view";

// The settings page's loader against a synced fleet and the GitHub stand-in's people: ada administers
// acme/*, linus reads acme/web-app.
let cf: ControlFixture;
// Imported once the fixture has set the environment the module reads when it loads.
let load: typeof loadPolicySettings;

beforeAll(async () => {
  cf = await createControlFixture({
    env: { STAGEBOARD_POLICY: JSON.stringify({ approvals: { requiredApprovals: 2 } }) },
  });
  load = (await import("./settings-view")).loadPolicySettings;
});
afterAll(async () => cf?.close());

describe("loadPolicySettings", () => {
  it("shows each value's level, the repository's pipelines and stages, and lets the admin edit but not a reader", async () => {
    const ada = await cf.viewer("ada");
    const githubId = ada.repositoryIds.get("acme/web-app");
    expect(githubId).toBeDefined();
    await cf.f.database.db.policyOverride.create({
      data: {
        repositoryGithubId: githubId!,
        settings: { v: 1, override: { approvals: { minPermission: "maintain" } } },
        updatedByLogin: "ada",
      },
    });
    const settings = await load(ada, "acme/web-app", {}, { db: cf.f.database.db });
    expect(settings).toMatchObject({ repository: "acme/web-app", canEdit: true, scope: { pipelineId: null } });
    expect(settings?.explained.approvals.minPermission).toEqual({ value: "maintain", source: "repository" });
    expect(settings?.explained.approvals.requiredApprovals).toEqual({ value: 2, source: "instance" });
    expect(settings?.explained.approvals.preventSelfApproval).toEqual({ value: true, source: "default" });
    expect(settings?.current).toEqual({ approvals: { minPermission: "maintain" } });
    const pipeline = settings?.pipelines[0];
    expect(pipeline?.stages.length).toBeGreaterThan(1);

    const stage = pipeline!.stages[1]!;
    const linus = await cf.viewer("linus");
    const atStage = await load(linus, "acme/web-app", { pipeline: pipeline!.id, stage }, { db: cf.f.database.db });
    expect(atStage).toMatchObject({
      canEdit: false,
      scope: { pipelineId: pipeline!.id, stageName: stage },
      current: null,
    });
    expect(atStage?.explained.approvals.minPermission.source).toBe("repository");
  });

  it("answers nothing for a repository the viewer cannot see, and ignores a stage the pipeline lacks", async () => {
    const grace = await cf.viewer("grace");
    expect(await load(grace, "acme/web-app", {}, { db: cf.f.database.db })).toBeNull();
    const ada = await cf.viewer("ada");
    const settings = await load(ada, "acme/web-app", {}, { db: cf.f.database.db });
    const id = settings!.pipelines[0]!.id;
    const odd = await load(ada, "acme/web-app", { pipeline: id, stage: "NoSuchStage" }, { db: cf.f.database.db });
    expect(odd?.scope).toMatchObject({ pipelineId: id, stageName: null });
  });
});
