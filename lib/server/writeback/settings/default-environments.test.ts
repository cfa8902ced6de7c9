import { describe, expect, it } from "vitest";
import { defaultEnvironment } from "@/lib/server/writeback/settings/default-environments";

describe("which stages deploy by default", () => {
  it.each([
    ["Production", true, false],
    ["Prod", true, false],
    ["DeployToProd", true, false],
    ["prod-eu-west-1", true, false],
    ["Staging", false, false],
    ["Deploy-Staging", false, false],
    ["QA", false, false],
    ["Dev", false, false],
    ["Preview", false, true],
    ["deploy-pr-42", false, true],
  ])("%s deploys to an environment of its name (production %s, transient %s)", (stage, production, transient) => {
    expect(defaultEnvironment(stage)).toEqual({ environment: stage, production, transient });
  });

  it.each(["Source", "Build", "UnitTests", "Approval", "ApproveProduction", "Test", "ProdSmokeTests", "Package"])(
    "%s deploys nowhere",
    (stage) => {
      expect(defaultEnvironment(stage)).toBeNull();
    },
  );
});
