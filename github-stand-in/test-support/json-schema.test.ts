import { describe, expect, it } from "vitest";
import { checkResponse } from "./github-description";

// The validator must reject what GitHub's description rejects, or every other test here proves nothing.
describe("response validator", () => {
  const json = "application/json; charset=utf-8";

  it("accepts GitHub's own documented example for an email list", () => {
    const body = [{ email: "octocat@github.com", verified: true, primary: true, visibility: "public" }];
    expect(checkResponse("GET", "/user/emails", 200, json, body).errors).toEqual([]);
  });

  it("rejects a missing required field, a wrong type, a bad enum and a bad format", () => {
    const body = [{ email: "not-an-email", verified: "yes", primary: true }];
    const { errors } = checkResponse("GET", "/user/emails", 200, json, body);
    expect(errors.join("\n")).toMatch(/missing required "visibility"/);
    expect(errors.join("\n")).toMatch(/verified: expected boolean/);
    expect(errors.join("\n")).toMatch(/is not an email/);
    const membership = checkResponse("GET", "/orgs/acme/teams/platform/memberships/ada", 200, json, {
      url: "http://x/y",
      role: "owner",
      state: "active",
    });
    expect(membership.errors.join("\n")).toMatch(/not in \["member","maintainer"\]/);
  });

  it("rejects undocumented statuses and non-JSON content", () => {
    expect(checkResponse("GET", "/user", 418, json, {}).errors[0]).toMatch(/not a documented response/);
    expect(checkResponse("GET", "/user/emails", 200, "text/plain", []).errors[0]).toMatch(/content-type/);
    expect(checkResponse("GET", "/nope", 200, json, {}).errors[0]).toMatch(/no operation/);
  });

  it("uses oneOf for GET /user: a public-user with extra keys fails both branches unless private fields are complete", () => {
    const { errors } = checkResponse("GET", "/user", 200, json, { login: "x", unexpected: 1 });
    expect(errors.join("\n")).toMatch(/matches 0 of oneOf/);
  });

  it("matches {ref} across slashes like heads/main", () => {
    const { operation } = checkResponse("GET", "/repos/a/b/commits/heads/main/status", 404, json, {
      message: "Not Found",
    });
    expect(operation).toBe("get /repos/{owner}/{repo}/commits/{ref}/status");
  });
});
