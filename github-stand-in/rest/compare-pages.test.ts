// GET /repos/{owner}/{repo}/compare/{basehead} over a long range, as GitHub answers it: unpaged, the newest 250
// commits; with `per_page` (at most 100) and `page`, every commit oldest first, `total_commits` on each page and
// `Link` headers to the next and last; and a commit source read in pieces no larger than it answers.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn, type RunningGitHubStandIn } from "../index";
import { api, control, signIn } from "../test-support/github-client";

interface ComparisonBody {
  total_commits: number;
  ahead_by: number;
  commits: { sha: string; author: { login: string } | null }[];
}

const LENGTH = 1_234;
const ADA = { name: "Ada Lovelace", email: "ada@example.com" };
const STRANGER = { name: "Jo Example", email: "jo@elsewhere.example" };

const nextLink = (link: string | null) => /<([^>]+)>;\s*rel="next"/.exec(link ?? "")?.[1] ?? null;

describe("a long comparison", () => {
  let standIn: RunningGitHubStandIn;
  let token: string;
  let base: string;
  let change: string[];
  let tip: string;

  beforeAll(async () => {
    standIn = await startGitHubStandIn();
    token = await signIn(standIn.url, "ada");
    const registered = await control(standIn.url, "/commits", {
      repository: "acme/api",
      commits: [{ message: "Base", author: STRANGER }],
    });
    base = (registered.body as { commits: string[] }).commits[0] ?? "";
    const long = await control(standIn.url, "/commits", {
      repository: "acme/api",
      commits: Array.from({ length: LENGTH }, (_, i) => ({
        message: `Change ${i}`,
        author: i % 7 === 0 ? ADA : STRANGER,
      })),
    });
    expect(long.status).toBe(200);
    change = (long.body as { commits: string[] }).commits;
    tip = change[change.length - 1] ?? "";
  });
  afterAll(() => standIn.stop());

  const compare = (query: string) =>
    api(standIn.url, "GET", `/repos/acme/api/compare/${base}...${tip}${query}`, { token });

  it("lists the newest 250 when no page is asked for, counting them all", async () => {
    const { status, headers, body } = await compare("");
    expect(status).toBe(200);
    const comparison = body as ComparisonBody;
    expect(comparison).toMatchObject({ total_commits: LENGTH, ahead_by: LENGTH });
    expect(comparison.commits.map((c) => c.sha)).toEqual(change.slice(-250));
    expect(headers.get("link")).toBeNull();
  });

  it("pages every commit oldest first, at most 100 a page, linking each page to the next", async () => {
    const first = await compare("?per_page=500");
    expect((first.body as ComparisonBody).commits).toHaveLength(100);
    const seen: string[] = [];
    let path: string | null = `/repos/acme/api/compare/${base}...${tip}?per_page=100&page=1`;
    let pages = 0;
    while (path) {
      const page = await api(standIn.url, "GET", path, { token });
      const body = page.body as ComparisonBody;
      expect(body.total_commits).toBe(LENGTH);
      seen.push(...body.commits.map((c) => c.sha));
      pages++;
      const next = nextLink(page.headers.get("link"));
      path = next ? next.slice(`${standIn.url}/api/v3`.length) : null;
      if (next) expect(next.startsWith(`${standIn.url}/api/v3/`)).toBe(true);
    }
    expect(pages).toBe(13);
    expect(seen).toEqual(change);
    const last = await compare("?per_page=100&page=13");
    expect((last.body as ComparisonBody).commits.map((c) => c.sha)).toEqual(change.slice(1_200));
    // Each page's commits carry their authors' accounts, as the unpaged answer's do.
    const second = (await compare("?per_page=100&page=2")).body as ComparisonBody;
    expect(second.commits.filter((c) => c.author?.login === "ada").map((c) => c.sha)).toEqual(
      change.slice(100, 200).filter((_, i) => (100 + i) % 7 === 0),
    );
  });
});

describe("a long comparison from a commit source", () => {
  let source: Server;
  let standIn: RunningGitHubStandIn;
  const limits: number[] = [];
  // Newest first, as the sandbox's GET /_sandbox/commits answers: SHAS[i]'s parent is SHAS[i + 1].
  const SHAS = Array.from({ length: 700 }, (_, i) => i.toString(16).padStart(40, "0"));

  beforeAll(async () => {
    source = createServer((req, res) => {
      const params = new URL(req.url ?? "/", "http://source").searchParams;
      const limit = Number(params.get("limit"));
      limits.push(limit);
      // The sandbox refuses more than 300 at a time.
      if (limit > 300) return void res.writeHead(400).end("{}");
      const ref = params.get("ref") === "main" ? SHAS[0] : params.get("ref");
      const at = SHAS.indexOf(ref ?? "");
      if (at < 0) return void res.writeHead(404).end("{}");
      const commits = SHAS.slice(at, at + limit).map((sha, i) => ({
        sha,
        parents: SHAS[at + i + 1] ? [SHAS[at + i + 1]] : [],
        message: `Commit ${at + i}`,
        author: { ...STRANGER, date: "2026-01-12T09:00:00Z" },
      }));
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ commits }));
    });
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const { port } = source.address() as AddressInfo;
    standIn = await startGitHubStandIn({ commitsFrom: `http://127.0.0.1:${port}/_sandbox/commits` });
  });
  afterAll(async () => {
    await standIn.stop();
    await new Promise((resolve) => source.close(resolve));
  });

  it("reads the source in pieces it accepts, as far as base and no further", async () => {
    const token = await signIn(standIn.url, "ada");
    const oldest = SHAS[SHAS.length - 1] ?? "";
    const { status, body } = await api(standIn.url, "GET", `/repos/acme/api/compare/${oldest}...main?per_page=100`, {
      token,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: "ahead", total_commits: 699 });
    expect(Math.max(...limits)).toBeLessThanOrEqual(300);
    const near = limits.length;
    const close = await api(standIn.url, "GET", `/repos/acme/api/compare/${SHAS[2]}...${SHAS[0]}`, { token });
    expect(close.body).toMatchObject({ total_commits: 2 });
    // Both ends are known SHAs now: nothing more is asked of the source.
    expect(limits.length).toBe(near);
  });
});
