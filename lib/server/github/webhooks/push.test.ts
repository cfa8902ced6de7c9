import { describe, expect, it } from "vitest";
import { pushFacts, watchesBranch } from "./push";

const AFTER = "a".repeat(40);
const push = (over: Record<string, unknown> = {}) => ({
  ref: "refs/heads/main",
  before: "b".repeat(40),
  after: AFTER,
  deleted: false,
  repository: { full_name: "Acme/Web-App" },
  ...over,
});

describe("pushFacts", () => {
  it("names the repository (lower-cased), the branch and the new head", () => {
    expect(pushFacts(push())).toEqual({ repository: "acme/web-app", branch: "main", after: AFTER });
    expect(pushFacts(push({ ref: "refs/heads/release/1.2" }))?.branch).toBe("release/1.2");
  });

  it("ignores tags, deleted branches and whatever does not have a push's shape", () => {
    expect(pushFacts(push({ ref: "refs/tags/v1" }))).toBeNull();
    expect(pushFacts(push({ deleted: true, after: "0".repeat(40) }))).toBeNull();
    expect(pushFacts(push({ repository: null }))).toBeNull();
    expect(pushFacts({ zen: "Keep it logically awesome." })).toBeNull();
    expect(pushFacts(null)).toBeNull();
  });
});

describe("watchesBranch", () => {
  const v2 = (push: unknown[]) => [{ providerType: "CodeStarSourceConnection", gitConfiguration: { push } }];

  it("without git triggers: the source action's branch, or any branch when it is not known", () => {
    expect(watchesBranch({ sourceBranch: "main", triggers: null }, "main")).toBe(true);
    expect(watchesBranch({ sourceBranch: "main", triggers: null }, "develop")).toBe(false);
    expect(watchesBranch({ sourceBranch: null, triggers: null }, "develop")).toBe(true);
  });

  it("with V2 push triggers: what their branch filters include and do not exclude", () => {
    const triggers = v2([{ branches: { includes: ["release/**"], excludes: ["release/old/**"] } }]);
    expect(watchesBranch({ sourceBranch: "main", triggers }, "release/2.0")).toBe(true);
    expect(watchesBranch({ sourceBranch: "main", triggers }, "release/old/1.0")).toBe(false);
    // The source action's branch no longer decides: the trigger does.
    expect(watchesBranch({ sourceBranch: "main", triggers }, "main")).toBe(false);
  });

  it("a tags-only trigger starts nothing on a branch push; excludes alone allow every other branch", () => {
    expect(watchesBranch({ sourceBranch: "main", triggers: v2([{ tags: { includes: ["v*"] } }]) }, "main")).toBe(false);
    const excludesOnly = v2([{ branches: { excludes: ["wip/*"] } }]);
    expect(watchesBranch({ sourceBranch: "main", triggers: excludesOnly }, "feature")).toBe(true);
    expect(watchesBranch({ sourceBranch: "main", triggers: excludesOnly }, "wip/x")).toBe(false);
  });
});
