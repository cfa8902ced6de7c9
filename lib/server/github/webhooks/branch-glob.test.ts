import { describe, expect, it } from "vitest";
import { branchMatches } from "./branch-glob";

describe("branchMatches", () => {
  it.each([
    ["main", "main", true],
    ["main", "mainline", false],
    ["release/*", "release/1.2", true],
    ["release/*", "release/1.2/hotfix", false],
    ["release/**", "release/1.2/hotfix", true],
    ["feature-?", "feature-a", true],
    ["feature-?", "feature-ab", false],
    ["{main,develop}", "develop", true],
    ["{main,develop}", "staging", false],
    ["v1.0", "v1x0", false],
    ["fix(1)", "fix(1)", true],
    ["{unclosed", "{unclosed", true],
  ])("%s against %s: %s", (pattern, branch, expected) => {
    expect(branchMatches(pattern, branch)).toBe(expected);
  });
});
