import { describe, expect, it } from "vitest";
import { resolveWritebackSettings } from "@/lib/server/writeback/settings/read";

const DEFAULTS = { checkRuns: true, statuses: false, stageStatuses: true, deployments: true };
const STAGES = ["Source", "Build", "Staging", "Production"];

describe("a pipeline's write-back settings", () => {
  it("are the instance's switches, and stages named like environments deploy there", () => {
    const settings = resolveWritebackSettings(DEFAULTS, null, STAGES);
    expect(settings).toMatchObject({ checkRuns: true, statuses: false, stageStatuses: false, deployments: true });
    expect([...settings.environments]).toEqual([
      ["Staging", { environment: "Staging", production: false, transient: false }],
      ["Production", { environment: "Production", production: true, transient: false }],
    ]);
  });

  it("take a repository's own switches over the instance's, and its stage mapping over the default", () => {
    const settings = resolveWritebackSettings(
      DEFAULTS,
      {
        switches: { statuses: true, deployments: null, checkRuns: false },
        environments: new Map([
          ["Build", { environment: "ci", production: false, transient: true }],
          ["Staging", null],
        ]),
      },
      STAGES,
    );
    expect(settings).toMatchObject({ checkRuns: false, statuses: true, stageStatuses: true, deployments: true });
    expect([...settings.environments.keys()]).toEqual(["Build", "Production"]);
  });
});
