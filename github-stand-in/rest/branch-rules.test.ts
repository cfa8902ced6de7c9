import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, control, signIn } from "../test-support/github-client";
import type { InstalledApp, StandInWithState } from "../test-support/installed-app";
import { installApp, startWithState } from "../test-support/installed-app";

// A branch's required checks as GitHub serves them: its rulesets' rules (repository metadata, readable by every
// installed App) and its classic protection (administration). Every answer is checked against GitHub's description.

let standIn: StandInWithState;
let reader: InstalledApp;
let admin: InstalledApp;
let ada: string;
let linus: string;
let grace: string;

const RULES = "/repos/acme/web-app/rules/branches";
const PROTECTION = (branch: string) =>
  `/repos/acme/web-app/branches/${encodeURIComponent(branch)}/protection/required_status_checks`;

type Rule = { type: string; parameters?: { required_status_checks: { context: string; integration_id?: number }[] } };
const requiredIn = (rules: Rule[]) =>
  rules.flatMap((r) => (r.type === "required_status_checks" ? r.parameters!.required_status_checks : []));

beforeAll(async () => {
  standIn = await startWithState();
  reader = installApp(standIn.state, { name: "Checks only", account: "acme", permissions: { checks: "read" } });
  admin = installApp(standIn.state, {
    name: "With administration",
    account: "acme",
    permissions: { checks: "read", administration: "read" },
  });
  ada = await signIn(standIn.url, "ada");
  linus = await signIn(standIn.url, "linus");
  grace = await signIn(standIn.url, "grace");
  const set = await control(standIn.url, "/branch-rules", {
    repository: "acme/web-app",
    rulesets: [
      { name: "CI", include: ["~DEFAULT_BRANCH"], checks: ["build", { context: "lint", integrationId: 15368 }] },
      { name: "Releases", include: ["refs/heads/release/*"], exclude: ["refs/heads/release/old"], checks: ["e2e"] },
      { name: "Trial", enforcement: "evaluate", include: ["~ALL"], checks: ["perf"] },
      { name: "History", include: ["~ALL"], rules: ["deletion", "non_fast_forward"] },
    ],
    protection: {
      main: { checks: ["build", { context: "test", appId: 15368 }], strict: true },
      legacy: { checks: null },
    },
  });
  expect(set.status).toBe(200);
});
afterAll(() => standIn.stop());

describe("GET /repos/{owner}/{repo}/rules/branches/{branch}", () => {
  it("lists the active rules that apply to the branch, with each ruleset's required checks", async () => {
    const main = await api(standIn.url, "GET", `${RULES}/main`, { token: reader.token() });
    expect(main.status).toBe(200);
    const rules = main.body as Rule[];
    // "Trial" is only evaluated: GitHub leaves it out.
    expect(rules.map((r) => r.type).sort()).toEqual(["deletion", "non_fast_forward", "required_status_checks"]);
    expect(requiredIn(rules)).toEqual([{ context: "build" }, { context: "lint", integration_id: 15368 }]);
    expect(rules[0]).toMatchObject({ ruleset_source_type: "Repository", ruleset_source: "acme/web-app" });
  });

  it("matches rulesets by ref-name pattern, whether or not the branch exists", async () => {
    const release = await api(standIn.url, "GET", `${RULES}/${encodeURIComponent("release/2.0")}`, { token: linus });
    expect(requiredIn(release.body as Rule[])).toEqual([{ context: "e2e" }]);
    const excluded = await api(standIn.url, "GET", `${RULES}/${encodeURIComponent("release/old")}`, { token: linus });
    expect(requiredIn(excluded.body as Rule[])).toEqual([]);
    const other = await api(standIn.url, "GET", `${RULES}/feature`, { token: ada });
    expect((other.body as Rule[]).map((r) => r.type).sort()).toEqual(["deletion", "non_fast_forward"]);
  });

  it("pages like every other list", async () => {
    const first = await api(standIn.url, "GET", `${RULES}/main?per_page=2`, { token: ada });
    expect((first.body as Rule[]).length).toBe(2);
    expect(first.headers.get("link")).toContain('rel="next"');
    const second = await api(standIn.url, "GET", `${RULES}/main?per_page=2&page=2`, { token: ada });
    expect((second.body as Rule[]).length).toBe(1);
  });

  it("answers 404 to whoever cannot see the repository", async () => {
    const hidden = await api(standIn.url, "GET", `${RULES}/main`, { token: grace });
    expect(hidden).toMatchObject({ status: 404, body: { message: "Not Found" } });
  });
});

describe("GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks", () => {
  it("gives the protected branch's checks, each with the App it must come from, to an App with administration", async () => {
    const answer = await api(standIn.url, "GET", PROTECTION("main"), { token: admin.token() });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      strict: true,
      contexts: ["build", "test"],
      checks: [
        { context: "build", app_id: null },
        { context: "test", app_id: 15368 },
      ],
    });
    const byAdmin = await api(standIn.url, "GET", PROTECTION("main"), { token: ada });
    expect(byAdmin.body).toEqual(answer.body);
  });

  it("refuses an App without administration (403, naming the permission) and hides it from a reader (404)", async () => {
    const refused = await api(standIn.url, "GET", PROTECTION("main"), { token: reader.token() });
    expect(refused).toMatchObject({ status: 403, body: { message: "Resource not accessible by integration" } });
    expect(refused.headers.get("x-accepted-github-permissions")).toBe("administration=read");
    const hidden = await api(standIn.url, "GET", PROTECTION("main"), { token: linus });
    expect(hidden.status).toBe(404);
  });

  it("answers 404 for a branch without protection, or protected without required checks", async () => {
    const unprotected = await api(standIn.url, "GET", PROTECTION("feature"), { token: admin.token() });
    expect(unprotected).toMatchObject({ status: 404, body: { message: "Branch not protected" } });
    const without = await api(standIn.url, "GET", PROTECTION("legacy"), { token: admin.token() });
    expect(without).toMatchObject({ status: 404, body: { message: "Required status checks not enabled" } });
  });
});

describe("POST /_stand-in/branch-rules", () => {
  it("refuses a malformed body and changes nothing", async () => {
    for (const body of [
      { repository: "acme/nope", rulesets: [] },
      { repository: "acme/web-app", rulesets: [{ enforcement: "sometimes" }] },
      { repository: "acme/web-app", rulesets: [{ checks: [{ context: "" }] }] },
      { repository: "acme/web-app", rulesets: [], protection: { main: { checks: "build" } } },
    ]) {
      expect((await control(standIn.url, "/branch-rules", body)).status).toBe(400);
    }
    const main = await api(standIn.url, "GET", `${RULES}/main`, { token: ada });
    expect(requiredIn(main.body as Rule[]).map((c) => c.context)).toEqual(["build", "lint"]);
  });

  it("removes a branch's protection with null and replaces the rulesets", async () => {
    await control(standIn.url, "/branch-rules", {
      repository: "acme/api",
      rulesets: [{ checks: ["build"] }],
      protection: { main: { checks: ["build"] } },
    });
    await control(standIn.url, "/branch-rules", {
      repository: "acme/api",
      rulesets: [],
      protection: { main: null },
    });
    const rules = await api(standIn.url, "GET", "/repos/acme/api/rules/branches/main", { token: ada });
    expect(rules.body).toEqual([]);
    const protection = await api(
      standIn.url,
      "GET",
      "/repos/acme/api/branches/main/protection/required_status_checks",
      {
        token: ada,
      },
    );
    expect(protection.status).toBe(404);
  });

  it("makes the rules route answer 404 where rulesets are unavailable, and back", async () => {
    await control(standIn.url, "/branch-rules", { repository: "acme/api", rulesets: "unavailable" });
    const gone = await api(standIn.url, "GET", "/repos/acme/api/rules/branches/main", { token: ada });
    expect(gone).toMatchObject({ status: 404, body: { message: "Not Found" } });
    await control(standIn.url, "/branch-rules", { repository: "acme/api", rulesets: [{ checks: ["build"] }] });
    const back = await api(standIn.url, "GET", "/repos/acme/api/rules/branches/main", { token: ada });
    expect(requiredIn(back.body as Rule[])).toEqual([{ context: "build" }]);
  });
});
