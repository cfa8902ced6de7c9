import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type * as SessionViewer from "@/lib/server/auth/load-session-viewer";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// The session behind every page and API request, against a real database: what signs a person in,
// what signs them out, and that the repository cache keeps its TTL rules on this path too.
// GitHub is never reached: refreshes go to a closed port and fail, which is the point where used.
const TTL_S = 300;
const DAY_MS = 24 * 3600 * 1000;
let database: TestDatabase;
let sessions: typeof SessionViewer;
let userId: string;

async function session(expires: Date): Promise<string> {
  const sessionToken = randomBytes(24).toString("hex");
  await database.db.session.create({ data: { sessionToken, userId, expires } });
  return sessionToken;
}

const fetchedAgo = (ms: number) =>
  database.db.user.update({
    where: { id: userId },
    data: { reposFetchedAt: new Date(Date.now() - ms), reposError: null },
  });

beforeAll(async () => {
  vi.stubEnv("GITHUB_URL", "http://127.0.0.1:9");
  vi.stubEnv("GITHUB_API_URL", "http://127.0.0.1:9/api/v3");
  vi.stubEnv("REPOSITORY_CACHE_TTL_SECONDS", String(TTL_S));
  sessions = await import("@/lib/server/auth/load-session-viewer");
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  const user = await database.db.user.create({
    data: { githubId: 7, login: "ada", name: "Ada", isAdmin: true, reposFetchedAt: new Date() },
  });
  userId = user.id;
  await database.db.userRepository.createMany({
    data: [
      { userId, fullName: "acme/web", permission: "admin" },
      { userId, fullName: "acme/api", permission: "read" },
    ],
  });
});

afterAll(async () => {
  await database.drop();
  vi.unstubAllEnvs();
});

describe("the viewer behind a session cookie", () => {
  it("reads session, user and cached repositories together", async () => {
    await fetchedAgo(1000);
    const viewer = await sessions.loadSessionViewer(database.db, await session(new Date(Date.now() + 7 * DAY_MS)));
    expect(viewer).toMatchObject({ userId, login: "ada", name: "Ada", isAdmin: true, accessError: null });
    expect(Object.fromEntries(viewer?.repositories ?? [])).toEqual({ "acme/web": "admin", "acme/api": "read" });
  });

  it("signs out an unknown, empty or altered token", async () => {
    const token = await session(new Date(Date.now() + 7 * DAY_MS));
    const altered = `${token.slice(0, -1)}${token.endsWith("0") ? "1" : "0"}`;
    expect(await sessions.loadSessionViewer(database.db, altered)).toBeNull();
    expect(await sessions.loadSessionViewer(database.db, `${token} `)).toBeNull();
    expect(await sessions.loadSessionViewer(database.db, token.toUpperCase())).toBeNull();
    expect(await sessions.loadSessionViewer(database.db, "")).toBeNull();
    expect(await sessions.loadSessionViewer(database.db, randomBytes(24).toString("hex"))).toBeNull();
  });

  it("signs out an expired session and deletes it", async () => {
    const token = await session(new Date(Date.now() - 1000));
    expect(await sessions.loadSessionViewer(database.db, token)).toBeNull();
    expect(await database.db.session.count({ where: { sessionToken: token } })).toBe(0);
  });

  it("signs out every session at once when they are ended everywhere", async () => {
    const [a, b] = [await session(new Date(Date.now() + 7 * DAY_MS)), await session(new Date(Date.now() + 7 * DAY_MS))];
    expect(await sessions.loadSessionViewer(database.db, a)).not.toBeNull();
    await database.db.session.deleteMany({ where: { userId } });
    expect(await sessions.loadSessionViewer(database.db, a)).toBeNull();
    expect(await sessions.loadSessionViewer(database.db, b)).toBeNull();
  });

  it("extends a session once a day, as next-auth does", async () => {
    const fresh = new Date(Date.now() + 7 * DAY_MS - 1000);
    const freshToken = await session(fresh);
    await sessions.loadSessionViewer(database.db, freshToken);
    expect((await database.db.session.findUniqueOrThrow({ where: { sessionToken: freshToken } })).expires).toEqual(
      fresh,
    );

    const dayOld = new Date(Date.now() + 6 * DAY_MS - 1000);
    const dayOldToken = await session(dayOld);
    const now = Date.now();
    expect(await sessions.loadSessionViewer(database.db, dayOldToken, now)).not.toBeNull();
    expect((await database.db.session.findUniqueOrThrow({ where: { sessionToken: dayOldToken } })).expires).toEqual(
      new Date(now + 7 * DAY_MS),
    );
  });

  it("keeps the repository cache rules: shown within the TTL, nothing once past it and GitHub cannot confirm", async () => {
    const token = await session(new Date(Date.now() + 7 * DAY_MS));
    await fetchedAgo((TTL_S - 10) * 1000);
    const within = await sessions.loadSessionViewer(database.db, token);
    expect(within?.repositories.size).toBe(2);
    expect(within?.accessError).toBeNull();

    await fetchedAgo((TTL_S + 10) * 1000);
    const past = await sessions.loadSessionViewer(database.db, token);
    expect(past?.repositories.size).toBe(0);
    expect(past?.isAdmin).toBe(false);
    expect(past?.accessError).toMatch(/sign in again|could not be reached/);
  });
});
