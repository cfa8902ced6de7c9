import { describe, expect, it } from "vitest";
import { stageFormFromView, stagesUpdateFromForm, switchesUpdateFromForm } from "@/lib/writeback/settings-form";

describe("the write-back section's forms", () => {
  it("leave a switch set to the instance's default as null, and the others as the repository's", () => {
    expect(switchesUpdateFromForm({ checkRuns: "", statuses: "on", stageStatuses: "off", deployments: "" })).toEqual({
      checkRuns: null,
      statuses: true,
      stageStatuses: false,
      deployments: null,
    });
  });

  it("send only the stages not left to their default, with trimmed names, and name the stage whose name is wrong", () => {
    const prod = stageFormFromView({
      stage: "Prod",
      source: "default",
      target: { environment: "Prod", production: true, transient: false },
      default: { environment: "Prod", production: true, transient: false },
    });
    expect(prod).toEqual({ stage: "Prod", mode: "default", environment: "Prod", production: true, transient: false });
    const staging = { stage: "Staging", mode: "none" as const, environment: "", production: false, transient: false };
    const build = { ...staging, stage: "Build", mode: "environment" as const, environment: "  ci  ", transient: true };
    expect(stagesUpdateFromForm([prod, staging, build])).toEqual({
      ok: true,
      stages: [
        { stage: "Staging", environment: null },
        { stage: "Build", environment: "ci", production: false, transient: true },
      ],
    });
    expect(stagesUpdateFromForm([{ ...build, environment: "x".repeat(256) }])).toEqual({
      ok: false,
      errors: { Build: "The environment is longer than GitHub's 255 characters" },
    });
    expect(stagesUpdateFromForm([{ ...build, environment: "a\tb" }])).toMatchObject({ ok: false });
  });
});
