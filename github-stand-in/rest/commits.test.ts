// GET /repos/{owner}/{repo}/commits/{ref} and GET /repos/{owner}/{repo}/compare/{basehead}: commits with their
// authors linked to accounts by e-mail, from the control plane and from a commit source; every response is checked
// against GitHub's description by `api`.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";

interface CommitBody {
  sha: string;
  html_url: string;
  commit: { message: string; author: { name: string; email: string; date: string } };
  author: { login: string; id: number } | null;
  parents: { sha: string }[];
}
interface ComparisonBody {
  status: string;
  ahead_by: number;
  behind_by: number;
  total_commits: number;
  html_url: string;
  commits: CommitBody[];
  merge_base_commit: { sha: string };
}

let standIn: RunningGitHubStandIn;
let ada: string;
let linus: string;
let line: string[];

const ADA = { name: "Ada Lovelace", email: "ada@example.com" };
const STRANGER = { name: "Jo Example", email: "jo@elsewhere.example" };

beforeAll(async () => {
  standIn = await startGitHubStandIn();
  [ada, linus] = await Promise.all([signIn(standIn.url, "ada"), signIn(standIn.url, "linus")]);
  const registered = await control(standIn.url, "/commits", {
    repository: "acme/web-app",
    commits: [
      { message: "Initial commit", author: { ...STRANGER, date: "2026-01-10T09:00:00Z" } },
      { message: "Add checkout", author: { ...ADA, date: "2026-01-11T09:00:00Z" } },
      { message: "Fix <script>alert(1)</script> in titles", author: { ...STRANGER, date: "2026-01-12T09:00:00Z" } },
      { message: "Ship it", author: { name: "Linus", email: "LINUS@example.com", date: "2026-01-13T09:00:00Z" } },
    ],
  });
  expect(registered.status).toBe(200);
  line = (registered.body as { commits: string[] }).commits;
});
afterAll(() => standIn.stop());

describe("a commit", () => {
  it("answers by SHA and by branch, with the accounts its e-mails belong to", async () => {
    const [first, second, , fourth] = line;
    const bySha = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${second}`, { token: linus });
    expect(bySha.status).toBe(200);
    expect(bySha.body).toMatchObject({
      sha: second,
      html_url: `${standIn.url}/acme/web-app/commit/${second}`,
      commit: { message: "Add checkout", author: { ...ADA, date: "2026-01-11T09:00:00Z" } },
      author: { login: "ada", id: 1001 },
      parents: [{ sha: first }],
    });
    const byBranch = await api(standIn.url, "GET", "/repos/acme/web-app/commits/main", { token: linus });
    // E-mails match without case, as GitHub's do.
    expect(byBranch.body).toMatchObject({ sha: fourth, author: { login: "linus" } });
    const root = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${first}`, { token: linus });
    expect(root.body).toMatchObject({ author: null, parents: [] });
  });

  it("answers 422 for an unknown commit and 404 where the caller cannot read the repository", async () => {
    const unknown = await api(standIn.url, "GET", `/repos/acme/web-app/commits/${"0".repeat(40)}`, { token: ada });
    expect(unknown.status).toBe(422);
    expect(unknown.body).toMatchObject({ message: `No commit found for SHA: ${"0".repeat(40)}` });
    expect((await api(standIn.url, "GET", `/repos/acme/api/commits/${line[0]}`, { token: linus })).status).toBe(404);
    expect((await api(standIn.url, "GET", `/repos/acme/web-app/commits/${line[0]}`)).status).toBe(404);
  });
});

describe("a comparison", () => {
  it("lists what head brings since base, oldest first, with its authors", async () => {
    const [first, second, third, fourth] = line;
    const { status, body } = await api(standIn.url, "GET", `/repos/acme/web-app/compare/${first}...${fourth}`, {
      token: linus,
    });
    expect(status).toBe(200);
    const comparison = body as ComparisonBody;
    expect(comparison).toMatchObject({
      status: "ahead",
      ahead_by: 3,
      behind_by: 0,
      total_commits: 3,
      merge_base_commit: { sha: first },
      html_url: `${standIn.url}/acme/web-app/compare/${first}...${fourth}`,
    });
    expect(comparison.commits.map((c) => c.sha)).toEqual([second, third, fourth]);
    expect(comparison.commits.map((c) => c.author?.login ?? null)).toEqual(["ada", null, "linus"]);
    expect(comparison.commits[1]?.commit.author).toMatchObject(STRANGER);
  });

  it("tells identical, behind and diverged apart, and pages when asked", async () => {
    const [first, second, third, fourth] = line;
    const get = async (basehead: string, query = "") =>
      (await api(standIn.url, "GET", `/repos/acme/web-app/compare/${basehead}${query}`, { token: ada }))
        .body as ComparisonBody;
    expect(await get(`${third}...${third}`)).toMatchObject({ status: "identical", ahead_by: 0, commits: [] });
    expect(await get(`${fourth}...${second}`)).toMatchObject({
      status: "behind",
      ahead_by: 0,
      behind_by: 2,
      commits: [],
    });
    const fork = await control(standIn.url, "/commits", {
      repository: "acme/web-app",
      branch: "hotfix",
      commits: [{ message: "Hotfix", author: ADA, parents: [second] }],
    });
    const hotfix = (fork.body as { commits: string[] }).commits[0];
    expect(await get(`main...hotfix`)).toMatchObject({
      status: "diverged",
      ahead_by: 1,
      behind_by: 2,
      merge_base_commit: { sha: second },
      commits: [{ sha: hotfix }],
    });
    const paged = await api(standIn.url, "GET", `/repos/acme/web-app/compare/${first}...${fourth}?per_page=1&page=2`, {
      token: ada,
    });
    expect((paged.body as ComparisonBody).commits.map((c) => c.sha)).toEqual([third]);
    expect(paged.headers.get("link")).toContain('rel="next"');
  });

  it("answers 404 for an unknown ref, a basehead without ..., and commits with no common ancestor", async () => {
    const [first] = line;
    const other = await control(standIn.url, "/commits", {
      repository: "acme/web-app",
      branch: "orphan",
      commits: [{ message: "Unrelated", author: STRANGER, parents: [] }],
    });
    expect((other.body as { commits: string[] }).commits).toHaveLength(1);
    const orphan = await api(standIn.url, "GET", `/repos/acme/web-app/compare/${first}...orphan`, { token: ada });
    expect(orphan).toMatchObject({ status: 404, body: { message: `No common ancestor between ${first} and orphan.` } });
    for (const basehead of [`${first}...nope`, `${first}..main`, "main"])
      expect((await api(standIn.url, "GET", `/repos/acme/web-app/compare/${basehead}`, { token: ada })).status).toBe(
        404,
      );
    const bad = await control(standIn.url, "/commits", { repository: "acme/web-app", commits: [{ message: "x" }] });
    expect(bad).toMatchObject({ status: 400, body: { error: "commits[0].author must have name and email" } });
  });
});

describe("a commit source", () => {
  let source: Server;
  let fromSource: RunningGitHubStandIn;
  let asked = 0;
  let down = false;
  const SHAS = ["c".repeat(40), "b".repeat(40), "a".repeat(40)];

  beforeAll(async () => {
    // Answers like the CodePipeline sandbox's GET /_sandbox/commits: the ref's commit and its ancestors.
    source = createServer((req, res) => {
      asked++;
      const params = new URL(req.url ?? "/", "http://source").searchParams;
      if (down) return void res.writeHead(500).end();
      const ref = params.get("ref") === "main" ? SHAS[0] : params.get("ref");
      const at = SHAS.indexOf(ref ?? "");
      if (params.get("repository") !== "acme/api" || at < 0) return void res.writeHead(404).end("{}");
      const commits = SHAS.slice(at, at + Number(params.get("limit"))).map((sha, i) => ({
        sha,
        parents: SHAS[at + i + 1] ? [SHAS[at + i + 1]] : [],
        message: `Commit ${sha.slice(0, 1)}`,
        author: { ...(sha === SHAS[1] ? ADA : STRANGER), date: "2026-01-12T09:00:00Z" },
      }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ commits }));
    });
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const { port } = source.address() as AddressInfo;
    fromSource = await startGitHubStandIn({ commitsFrom: `http://127.0.0.1:${port}/_sandbox/commits` });
  });
  afterAll(async () => {
    await fromSource.stop();
    await new Promise((resolve) => source.close(resolve));
  });

  it("serves the commits it answers, keeps them, and answers 503 while it cannot be reached", async () => {
    const token = await signIn(fromSource.url, "ada");
    const compare = await api(fromSource.url, "GET", `/repos/acme/api/compare/${SHAS[2]}...main`, { token });
    expect(compare.body).toMatchObject({ status: "ahead", ahead_by: 2 });
    expect((compare.body as ComparisonBody).commits.map((c) => c.author?.login ?? null)).toEqual(["ada", null]);
    down = true;
    const before = asked;
    // Commits never change, so a known SHA is answered without asking again; a branch must be asked.
    expect((await api(fromSource.url, "GET", `/repos/acme/api/commits/${SHAS[1]}`, { token })).status).toBe(200);
    expect(asked).toBe(before);
    expect((await api(fromSource.url, "GET", "/repos/acme/api/commits/main", { token })).status).toBe(503);
    down = false;
    expect((await api(fromSource.url, "GET", `/repos/acme/api/commits/${"d".repeat(40)}`, { token })).status).toBe(422);
  });
});
