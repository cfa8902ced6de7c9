import { describe, expect, it } from "vitest";
import { gateUpdateFromForm, shortSha, stateWords } from "./gate-form";

describe("the release gate form", () => {
  it("sends one branch pattern and check name a line, blank lines dropped", () => {
    expect(
      gateUpdateFromForm({
        enabled: true,
        branches: "main\n\n  release/*  \n",
        checks: "named",
        checkNames: "build\ntest (ubuntu)",
        releaseOrder: "each",
      }),
    ).toEqual({
      enabled: true,
      branches: ["main", "release/*"],
      checks: "named",
      checkNames: ["build", "test (ubuntu)"],
      releaseOrder: "each",
    });
  });

  it("names states in words and shortens SHAs as GitHub does", () => {
    expect(stateWords("blocked")).toBe("blocked: a check failed");
    expect(stateWords("something-new")).toBe("something-new");
    expect(shortSha("0123456789abcdef0123456789abcdef01234567")).toBe("0123456");
  });
});
