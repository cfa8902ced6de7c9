import { describe, expect, it } from "vitest";
import { commitLinks, pullRequestNumber } from "./commit-links";

const SHA = "a".repeat(40);
const PREV = "b".repeat(40);

describe("commitLinks", () => {
  it("links the commit, its pull request and the compare view on the configured host", () => {
    expect(
      commitLinks({
        host: "https://github.example.com/",
        sha: SHA.toUpperCase(),
        repository: "acme/web-app",
        previousSha: PREV,
        message: "feat: login (#42)\n\nbody",
      }),
    ).toEqual({
      commit: `https://github.example.com/acme/web-app/commit/${SHA}`,
      pullRequest: { number: 42, url: "https://github.example.com/acme/web-app/pull/42" },
      compare: `https://github.example.com/acme/web-app/compare/${PREV}...${SHA}`,
    });
  });

  it("takes the repository from a stored commit URL only on the configured host", () => {
    const host = "https://github.com";
    expect(commitLinks({ host, sha: SHA, storedUrl: `https://github.com/acme/api/commit/${SHA}` }).commit).toBe(
      `https://github.com/acme/api/commit/${SHA}`,
    );
    expect(commitLinks({ host, sha: SHA, storedUrl: `https://evil.example/acme/api/commit/${SHA}` }).commit).toBeNull();
    expect(
      commitLinks({ host, sha: SHA, storedUrl: `https://github.com.evil.example/acme/api/commit/${SHA}` }).commit,
    ).toBeNull();
    expect(commitLinks({ host, sha: SHA, storedUrl: `https://github.com/a/b/tree/${SHA}` }).commit).toBeNull();
  });

  it("refuses untrusted parts instead of escaping them into another path", () => {
    const host = "https://github.com";
    expect(commitLinks({ host, sha: SHA, repository: "acme/../evil" }).commit).toBeNull();
    expect(commitLinks({ host, sha: SHA, repository: "acme/.." }).commit).toBeNull();
    expect(commitLinks({ host, sha: SHA, repository: "a/b?x=1" }).commit).toBeNull();
    expect(commitLinks({ host, sha: "not-a-sha", repository: "acme/api" }).commit).toBeNull();
    expect(commitLinks({ host: "javascript:alert(1)", sha: SHA, repository: "acme/api" }).commit).toBeNull();
    expect(commitLinks({ host: null, sha: SHA, repository: "acme/api" }).commit).toBeNull();
  });

  it("offers no compare view without a different previous commit", () => {
    const base = { host: "https://github.com", sha: SHA, repository: "acme/api" };
    expect(commitLinks({ ...base, previousSha: SHA }).compare).toBeNull();
    expect(commitLinks({ ...base, previousSha: "zzz" }).compare).toBeNull();
    expect(commitLinks(base).pullRequest).toBeNull();
  });
});

describe("pullRequestNumber", () => {
  it("reads GitHub's merge and squash titles only", () => {
    expect(pullRequestNumber("Merge pull request #7 from acme/feature")).toBe(7);
    expect(pullRequestNumber("fix: typo (#1234)")).toBe(1234);
    expect(pullRequestNumber("fix #12 in the middle")).toBeNull();
    expect(pullRequestNumber("first line\n(#3)")).toBeNull();
    expect(pullRequestNumber(null)).toBeNull();
  });
});
