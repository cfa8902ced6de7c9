import { describe, expect, it } from "vitest";
import {
  classifyInstallationFailure,
  INSTALLATION_TTL_MS,
  NOT_INSTALLED_TTL_MS,
  planLookup,
} from "./installation-cache";

const now = new Date("2026-12-02T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("when the cached installation of a repository is used", () => {
  it("asks GitHub about a repository never looked up", () => {
    expect(planLookup(null, now)).toEqual({ kind: "ask" });
  });

  it("uses an installation for an hour, then asks again", () => {
    const fresh = { installationId: 7, checkedAt: ago(10_000), installationFetchedAt: ago(10_000) };
    expect(planLookup(fresh, now)).toEqual({ kind: "use", installationId: 7 });
    expect(planLookup({ ...fresh, checkedAt: ago(INSTALLATION_TTL_MS) }, now)).toEqual({ kind: "ask" });
  });

  it("asks again when the installation itself went stale (its token was refused)", () => {
    expect(planLookup({ installationId: 7, checkedAt: ago(1000), installationFetchedAt: new Date(0) }, now)).toEqual({
      kind: "ask",
    });
    expect(planLookup({ installationId: 7, checkedAt: ago(1000), installationFetchedAt: null }, now)).toEqual({
      kind: "ask",
    });
  });

  it("trusts 'not installed' for minutes only, so installing the App takes effect soon", () => {
    const none = { installationId: null, checkedAt: ago(60_000), installationFetchedAt: null };
    expect(planLookup(none, now)).toEqual({ kind: "not-installed" });
    expect(planLookup({ ...none, checkedAt: ago(NOT_INSTALLED_TTL_MS) }, now)).toEqual({ kind: "ask" });
  });
});

describe("what GitHub's refusal of an installation's request means", () => {
  const api = "http://127.0.0.1:4600/api/v3";
  it("a 404 for a new token: the App is no longer installed", () => {
    expect(classifyInstallationFailure({ status: 404, url: `${api}/app/installations/500001/access_tokens` })).toEqual({
      kind: "installation-gone",
      installationId: 500001,
    });
  });

  it("a 401: the token was refused", () => {
    expect(classifyInstallationFailure({ status: 401, url: `${api}/repos/acme/web-app/statuses/abc` })).toEqual({
      kind: "token-refused",
    });
  });

  it("a repository's 404: that repository may no longer be reachable", () => {
    expect(classifyInstallationFailure({ status: 404, url: `${api}/repos/Acme/Web-App/check-runs/9` })).toEqual({
      kind: "repository-unreachable",
      fullName: "acme/web-app",
    });
  });

  it("anything else says nothing about the cache", () => {
    expect(classifyInstallationFailure({ status: 422, url: `${api}/repos/acme/web-app/statuses/abc` })).toEqual({
      kind: "other",
    });
    expect(classifyInstallationFailure({ status: 404, url: "not a url" })).toEqual({ kind: "other" });
    expect(classifyInstallationFailure({ status: 404, url: `${api}/repos/%E0%A4%A/x` })).toEqual({ kind: "other" });
  });
});
