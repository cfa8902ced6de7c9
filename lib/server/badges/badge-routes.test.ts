import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { BADGE_ELEMENTS, inspectSvg } from "@/lib/badges/testing/inspect-svg";
import type * as DbClient from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The badge routes as Next calls them, on a real Postgres seeded with pipelines, executions, stage executions and
// approvals as the sync stores them. The database the routes use is switched per test (a broken one for outages).
const state = vi.hoisted(() => ({ db: undefined as object | undefined }));
vi.mock("@/lib/server/db/client", async (importOriginal) => ({
  ...(await importOriginal<typeof DbClient>()),
  get db() {
    return state.db;
  },
}));

type Params = Record<string, string>;
type Handler = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

let database: TestDatabase;
let repositoryRoute: Handler;
let pipelineRoute: Handler;
let logger: Logger;
let secretKey: string;
const HOSTILE_PIPELINE = `<script>alert(1)</script>"'&`;
const HOSTILE_STAGE = `"><img src=x onerror=alert(2)>`;

/** GET a badge: `path` as a browser sends it (encoded), params as Next hands them over (decoded). */
async function badge(path: string, headers: Record<string, string> = {}) {
  const url = new URL(path, "http://localhost:3000");
  const raw = url.pathname.split("/").slice(2);
  const handler = raw.length < 3 ? repositoryRoute : pipelineRoute;
  // As Next does, decoding happens when the route awaits its params, and rejects a name that is not UTF-8.
  const params = Promise.resolve().then((): Params => {
    const [owner = "", repo = "", pipeline] = raw.map(decodeURIComponent);
    return pipeline === undefined ? { owner, repo } : { owner, repo, pipeline };
  });
  const response = await handler(new Request(url, { headers }), { params });
  const body = await response.text();
  return { status: response.status, headers: response.headers, body, message: messageOf(body) };
}

/** The badge's words after the label (the SVG's title is "label: message"). */
function messageOf(svg: string): string {
  const title = inspectSvg(svg.match(/<title>[^<]*<\/title>/)?.[0] ?? "").text;
  return title.slice(title.lastIndexOf(": ") + 2);
}

let clock = Date.parse("2026-01-01T00:00:00Z");
const at = () => new Date((clock += 60_000));

async function pipeline(input: { repositoryId: string; name: string; sourceBranch: string | null }) {
  return database.db.pipeline.create({
    data: {
      targetId: "t",
      name: input.name,
      version: 1,
      repositoryId: input.repositoryId,
      sourceBranch: input.sourceBranch,
    },
  });
}

async function execution(
  pipelineId: string,
  input: { status: string; branch: string | null; stages?: Record<string, string>; approvalIn?: string },
) {
  const startTime = at();
  const executionId = `x-${randomBytes(4).toString("hex")}`;
  const row = await database.db.execution.create({
    data: { pipelineId, executionId, status: input.status, branch: input.branch, startTime, lastUpdateTime: startTime },
  });
  for (const [stageName, status] of Object.entries(input.stages ?? {}))
    await database.db.stageExecution.create({ data: { executionId: row.id, stageName, status } });
  if (input.approvalIn)
    await database.db.approval.create({
      data: {
        pipelineId,
        executionId,
        stageName: input.approvalIn,
        actionName: "Approve",
        token: randomBytes(4).toString("hex"),
        status: "Pending",
        requestedAt: startTime,
      },
    });
  return row;
}

beforeAll(async () => {
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  state.db = database.db;
  const db = database.db;
  await db.target.create({ data: { id: "t", accountId: "111122223333", region: "us-east-1" } });
  // acme/web-app: public, default branch main. Its pipelines: build (main), deploy (main, also run on feature),
  // release (its own branch), and one with a hostile name and stage.
  const web = await db.repository.create({
    data: {
      fullName: "acme/web-app",
      owner: "acme",
      name: "web-app",
      githubId: 501n,
      githubFullName: "acme/web-app",
      private: false,
      defaultBranch: "main",
    },
  });
  const build = await pipeline({ repositoryId: web.id, name: "build", sourceBranch: "main" });
  await execution(build.id, { status: "Succeeded", branch: "main" });
  await execution(build.id, { status: "Stopped", branch: "main" });
  const deploy = await pipeline({ repositoryId: web.id, name: "deploy", sourceBranch: "main" });
  await execution(deploy.id, { status: "Failed", branch: "main", stages: { Build: "Succeeded", Prod: "Failed" } });
  await execution(deploy.id, { status: "InProgress", branch: "feature", stages: { Build: "InProgress" } });
  const release = await pipeline({ repositoryId: web.id, name: "release", sourceBranch: "release" });
  await execution(release.id, {
    status: "InProgress",
    branch: "release",
    stages: { Build: "Succeeded", Prod: "InProgress" },
    approvalIn: "Prod",
  });
  const hostile = await pipeline({ repositoryId: web.id, name: HOSTILE_PIPELINE, sourceBranch: "other" });
  await execution(hostile.id, { status: "Succeeded", branch: "other", stages: { [HOSTILE_STAGE]: "Succeeded" } });
  const gone = await pipeline({ repositoryId: web.id, name: "gone", sourceBranch: "main" });
  await execution(gone.id, { status: "Failed", branch: "feature" });
  await db.pipeline.update({ where: { id: gone.id }, data: { deletedAt: new Date() } });

  // acme/secret: private, with a badge key; acme/unpinned: never seen through GitHub (nobody's).
  const secret = await db.repository.create({
    data: { fullName: "acme/secret", owner: "acme", name: "secret", githubId: 502n, private: true },
  });
  const app = await pipeline({ repositoryId: secret.id, name: "app", sourceBranch: "main" });
  await execution(app.id, { status: "Succeeded", branch: "main" });
  const { hashBadgeKey, newBadgeKey, sealBadgeKey } = await import("./badge-key");
  secretKey = newBadgeKey();
  await db.badgeKey.create({
    data: {
      repositoryGithubId: 502n,
      keyHash: hashBadgeKey(secretKey),
      keySealed: sealBadgeKey(secretKey, 502n),
      createdByLogin: "ada",
    },
  });
  const unpinned = await db.repository.create({
    data: { fullName: "acme/unpinned", owner: "acme", name: "unpinned", private: false },
  });
  const lone = await pipeline({ repositoryId: unpinned.id, name: "lonely", sourceBranch: "main" });
  await execution(lone.id, { status: "Succeeded", branch: "main" });

  repositoryRoute = (await import("@/app/badges/[owner]/[repo]/route")).GET as Handler;
  pipelineRoute = (await import("@/app/badges/[owner]/[repo]/[pipeline]/route")).GET as Handler;
  logger = (await import("@/lib/server/logger")).logger;
});
afterAll(async () => {
  await database.drop();
  vi.unstubAllEnvs();
});
beforeEach(() => {
  state.db = database.db;
});

describe("a repository's badge", () => {
  it("is the worst latest state of its pipelines on the default branch, past stopped runs", async () => {
    // build passes (its later run was stopped), deploy failed on main (its feature run does not count), release
    // delivers another branch, and a deleted pipeline counts for nothing.
    expect((await badge("/badges/acme/web-app.svg")).message).toBe("failing");
  });

  it("reads another branch when asked", async () => {
    expect((await badge("/badges/acme/web-app.svg?branch=feature")).message).toBe("running");
    expect((await badge("/badges/acme/web-app.svg?branch=release")).message).toBe("waiting for approval");
    expect((await badge("/badges/acme/web-app.svg?branch=nowhere")).message).toBe("unknown");
  });

  it("follows the default branch GitHub reports, and each pipeline's own branch while none is known", async () => {
    await database.db.repository.update({ where: { fullName: "acme/web-app" }, data: { defaultBranch: "release" } });
    expect((await badge("/badges/acme/web-app.svg")).message).toBe("waiting for approval");
    await database.db.repository.update({ where: { fullName: "acme/web-app" }, data: { defaultBranch: null } });
    // Every pipeline on its source branch: deploy's failure is the worst.
    expect((await badge("/badges/acme/web-app.svg")).message).toBe("failing");
    await database.db.repository.update({ where: { fullName: "acme/web-app" }, data: { defaultBranch: "main" } });
  });

  it("is labelled with the repository's name unless ?label= says otherwise, in the style asked for", async () => {
    expect((await badge("/badges/acme/Web-App.svg")).body).toContain("<title>Web-App: failing</title>");
    expect((await badge("/badges/acme/web-app.svg?label=ci")).body).toContain("<title>ci: failing</title>");
    const forTheBadge = await badge("/badges/acme/web-app.svg?style=for-the-badge");
    const flat = await badge("/badges/acme/web-app.svg?style=flat");
    expect(forTheBadge.body).not.toBe(flat.body);
    expect(forTheBadge.body.toUpperCase()).toContain("FAILING");
  });
});

describe("a pipeline's badge", () => {
  it("is its latest counted run on any branch, or on the branch asked for", async () => {
    expect((await badge("/badges/acme/web-app/build.svg")).message).toBe("passing");
    expect((await badge("/badges/acme/web-app/deploy.svg")).message).toBe("running");
    expect((await badge("/badges/acme/web-app/deploy.svg?branch=main")).message).toBe("failing");
    expect((await badge("/badges/acme/web-app/release.svg")).message).toBe("waiting for approval");
    expect((await badge("/badges/acme/web-app/release.svg")).body).toContain("<title>release: waiting for approval");
  });

  it("shows one stage with ?stage=: waiting only where the approval waits", async () => {
    expect((await badge("/badges/acme/web-app/release.svg?stage=Prod")).message).toBe("waiting for approval");
    expect((await badge("/badges/acme/web-app/release.svg?stage=Build")).message).toBe("passing");
    // deploy's feature run is in Build; Prod last ran (and failed) on main.
    expect((await badge("/badges/acme/web-app/deploy.svg?stage=Build")).message).toBe("running");
    expect((await badge("/badges/acme/web-app/deploy.svg?stage=Prod")).message).toBe("failing");
    expect((await badge("/badges/acme/web-app/deploy.svg?stage=Prod")).body).toContain("<title>deploy · Prod: failing");
  });

  it("is unknown for a pipeline, stage or repository Stageboard does not have, or a deleted pipeline", async () => {
    for (const path of [
      "/badges/acme/web-app/nope.svg",
      "/badges/acme/web-app/Build.svg",
      "/badges/acme/web-app/release.svg?stage=Nope",
      "/badges/acme/web-app/gone.svg",
      "/badges/acme/nothing.svg",
      "/badges/nobody/web-app/build.svg",
      "/badges/acme/unpinned.svg",
      "/badges/acme/unpinned/lonely.svg",
    ])
      expect((await badge(path)).message, path).toBe("unknown");
  });

  it("draws hostile pipeline, stage and label text as text", async () => {
    const path = `/badges/acme/web-app/${encodeURIComponent(HOSTILE_PIPELINE)}.svg?stage=${encodeURIComponent(HOSTILE_STAGE)}`;
    for (const answer of [await badge(path), await badge(`${path}&label=${encodeURIComponent(HOSTILE_STAGE)}`)]) {
      expect(answer.status).toBe(200);
      // It found the pipeline and its stage: the state is theirs, not "unknown".
      expect(answer.message).toBe("passing");
      const structure = inspectSvg(answer.body);
      expect(structure.stray).toEqual([]);
      expect(structure.elements.filter((name) => !BADGE_ELEMENTS.has(name))).toEqual([]);
      expect(structure.attributes.filter((name) => /^on|href/i.test(name))).toEqual([]);
      expect(structure.text).toContain(HOSTILE_STAGE);
    }
    expect(inspectSvg((await badge(path)).body).text).toContain(`${HOSTILE_PIPELINE} · ${HOSTILE_STAGE}`);
  });
});

describe("a private repository's badge", () => {
  it("shows its state only with the repository's key", async () => {
    expect((await badge(`/badges/acme/secret.svg?key=${secretKey}`)).message).toBe("passing");
    expect((await badge(`/badges/acme/secret/app.svg?key=${secretKey}`)).message).toBe("passing");
    expect((await badge("/badges/acme/secret.svg")).message).toBe("unknown");
    expect((await badge("/badges/acme/secret.svg?key=sbk_wrong")).message).toBe("unknown");
    // A public repository's badge needs no key, and a key changes nothing there.
    expect((await badge(`/badges/acme/web-app/build.svg?key=${secretKey}`)).message).toBe("passing");
  });

  it("answers a wrong or missing key exactly as a repository that does not exist", async () => {
    for (const [secret, missing] of [
      ["/badges/acme/secret.svg?label=x", "/badges/acme/no-such-repo.svg?label=x"],
      ["/badges/acme/secret.svg?label=x&key=sbk_wrong", "/badges/acme/no-such-repo.svg?label=x&key=sbk_wrong"],
      [`/badges/acme/secret/app.svg?label=x&key=${secretKey}x`, "/badges/acme/no-such-repo/app.svg?label=x"],
    ] as const) {
      const [a, b] = [await badge(secret), await badge(missing)];
      expect(a.status).toBe(b.status);
      expect(a.body).toBe(b.body);
      expect([...a.headers]).toEqual([...b.headers]);
    }
  });

  it("stops opening with a key once the key is replaced", async () => {
    const { hashBadgeKey, newBadgeKey, sealBadgeKey } = await import("./badge-key");
    const next = newBadgeKey();
    await database.db.badgeKey.update({
      where: { repositoryGithubId: 502n },
      data: { keyHash: hashBadgeKey(next), keySealed: sealBadgeKey(next, 502n) },
    });
    expect((await badge(`/badges/acme/secret.svg?key=${secretKey}`)).message).toBe("unknown");
    expect((await badge(`/badges/acme/secret.svg?key=${next}`)).message).toBe("passing");
    secretKey = next;
  });
});

describe("badge responses", () => {
  it("are SVG images that run nothing, revalidated on every view, with an ETag of the SVG", async () => {
    const answer = await badge("/badges/acme/web-app.svg");
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
    expect(answer.headers.get("cache-control")).toBe("no-cache, max-age=0");
    expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
    expect(answer.headers.get("content-security-policy")).toBe("default-src 'none'; style-src 'unsafe-inline'");
    const { badgeEtag } = await import("./badge-response");
    expect(answer.headers.get("etag")).toBe(badgeEtag(answer.body));
    expect((await badge("/badges/acme/web-app.svg?label=other")).headers.get("etag")).not.toBe(
      answer.headers.get("etag"),
    );
  });

  it("answer 304 with no body when the badge has not changed, and the new badge when it has", async () => {
    const first = await badge("/badges/acme/web-app/build.svg");
    const etag = first.headers.get("etag") ?? "";
    for (const header of [etag, `W/${etag}`, `"other", ${etag}`]) {
      const again = await badge("/badges/acme/web-app/build.svg", { "if-none-match": header });
      expect(again.status, header).toBe(304);
      expect(again.body).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toBe("no-cache, max-age=0");
    }
    const build = await database.db.pipeline.findFirstOrThrow({ where: { name: "build" } });
    await execution(build.id, { status: "Failed", branch: "main" });
    const changed = await badge("/badges/acme/web-app/build.svg", { "if-none-match": etag });
    expect(changed.status).toBe(200);
    expect(changed.message).toBe("failing");
  });

  it("are the unknown badge, never an error, for addresses that cannot name anything", async () => {
    for (const path of [
      "/badges/acme/web-app",
      "/badges/acme/web-app/build",
      "/badges/-/web-app.svg",
      `/badges/acme/web-app/${"p".repeat(300)}.svg`,
      "/badges/acme/web-app/build.svg?stage=%00",
      "/badges/acme/web-app.svg?branch=%0A",
      "/badges/1e309/u,^%C0%AE%C0%AE.svg",
      "/badges/acme/web-app/%E0%A4%A.svg",
    ]) {
      const answer = await badge(path);
      expect(answer.status, path).toBe(200);
      expect(answer.message, path).toBe("unknown");
    }
  });

  it("are the unknown badge when the database does not answer, and the outage is logged once", async () => {
    const { createDb } = await import("@/lib/server/db/client");
    const down = createDb("postgresql://stageboard@127.0.0.1:1/none", 1, { connectTimeoutMs: 500 });
    state.db = down;
    const warn = vi.spyOn(logger, "warn");
    const error = vi.spyOn(logger, "error");
    try {
      for (let i = 0; i < 3; i++) {
        const answer = await badge("/badges/acme/web-app.svg?label=x");
        expect(answer.status).toBe(200);
        expect(answer.message).toBe("unknown");
        expect(answer.headers.get("content-type")).toBe("image/svg+xml; charset=utf-8");
      }
      expect(warn).toHaveBeenCalledTimes(1);
      expect(error).not.toHaveBeenCalled();
      // The same badge as a name nobody has, once the database answers again.
      const outage = await badge("/badges/acme/web-app.svg?label=x");
      state.db = database.db;
      expect((await badge("/badges/acme/no-such-repo.svg?label=x")).body).toBe(outage.body);
    } finally {
      warn.mockRestore();
      error.mockRestore();
      await down.$disconnect();
    }
  });
});
