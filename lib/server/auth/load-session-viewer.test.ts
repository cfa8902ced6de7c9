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
let hash: (token: string) => string;
let userId: string;

async function session(expires: Date, createdAt = new Date()): Promise<string> {
  const sessionToken = randomBytes(24).toString("hex");
  await database.db.session.create({ data: { tokenHash: hash(sessionToken), userId, expires, createdAt } });
  return sessionToken;
}

const stored = (token: string) => database.db.session.findUnique({ where: { tokenHash: hash(token) } });

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
  hash = (await import("@/lib/server/auth/session-token")).hashSessionToken;
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
    expect(await stored(token)).toBeNull();
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
    expect((await stored(freshToken))?.expires).toEqual(fresh);

    const dayOld = new Date(Date.now() + 6 * DAY_MS - 1000);
    const dayOldToken = await session(dayOld);
    const now = Date.now();
    expect(await sessions.loadSessionViewer(database.db, dayOldToken, now)).not.toBeNull();
    expect((await stored(dayOldToken))?.expires).toEqual(new Date(now + 7 * DAY_MS));
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

describe("session tokens at rest", () => {
  it("stores only a hash: no table holds the cookie's value, and a stored value does not work as a cookie", async () => {
    const { stageboardAdapter } = await import("@/lib/server/auth/adapter");
    const { generateSessionToken } = await import("@/lib/server/auth/session-token");
    const adapter = stageboardAdapter(database.db);
    const cookie = generateSessionToken();
    const created = await adapter.createSession?.({
      sessionToken: cookie,
      userId,
      expires: new Date(Date.now() + DAY_MS),
    });
    // next-auth writes the cookie from what createSession returns: the token itself, not the hash.
    expect(created?.sessionToken).toBe(cookie);
    await fetchedAgo(1000);
    expect(await sessions.loadSessionViewer(database.db, cookie)).toMatchObject({ userId });
    expect(await adapter.getSessionAndUser?.(cookie)).toMatchObject({ session: { sessionToken: cookie, userId } });

    // Everything a database copy would hand out, table by table: the cookie is in none of it.
    const tables = await database.db.$queryRaw<{ name: string }[]>`
      SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`;
    for (const { name } of tables) {
      const [dump] = await database.db.$queryRawUnsafe<{ text: string | null }[]>(
        `SELECT string_agg(t::text, ' ') AS text FROM "${name}" t`,
      );
      expect(dump?.text ?? "", name).not.toContain(cookie);
    }

    // A stolen row's value, presented as a cookie, signs nobody in, on either path.
    const row = await database.db.session.findUniqueOrThrow({ where: { tokenHash: hash(cookie) } });
    for (const value of Object.values(row).map(String)) {
      expect(await sessions.loadSessionViewer(database.db, value)).toBeNull();
      expect(await adapter.getSessionAndUser?.(value)).toBeNull();
    }
    await adapter.deleteSession?.(cookie);
    expect(await stored(cookie)).toBeNull();
  });

  it("hashes in SQL exactly as in code (the form scripts and test fixtures insert sessions with)", async () => {
    const token = generateToken();
    const [row] = await database.db.$queryRaw<{ h: string }[]>`
      SELECT encode(sha256(convert_to(${token}, 'UTF8')), 'hex') AS h`;
    expect(row?.h).toBe(hash(token));
  });
});

const generateToken = () => randomBytes(32).toString("base64url");

describe("the absolute session lifetime (SESSION_MAX_AGE_DAYS, 30 by default)", () => {
  it("ends a session 30 days after sign-in even when it is used every day", async () => {
    const signedIn = Date.now() - 40 * DAY_MS;
    const token = await session(new Date(signedIn + 7 * DAY_MS), new Date(signedIn));
    for (let day = 0; day < 30; day++) {
      const now = signedIn + day * DAY_MS + 3_600_000;
      await database.db.user.update({ where: { id: userId }, data: { reposFetchedAt: new Date(now - 1000) } });
      expect(await sessions.loadSessionViewer(database.db, token, now), `day ${day}`).not.toBeNull();
      // Extended by the sliding 7 days, never past the absolute end.
      expect((await stored(token))?.expires.getTime()).toBeLessThanOrEqual(signedIn + 30 * DAY_MS);
    }
    expect((await stored(token))?.expires).toEqual(new Date(signedIn + 30 * DAY_MS));
    expect(await sessions.loadSessionViewer(database.db, token, signedIn + 30 * DAY_MS + 1000)).toBeNull();
    expect(await stored(token)).toBeNull();
  });

  it("is enforced on next-auth's own path too: refused, deleted, and never extended past it", async () => {
    const { stageboardAdapter } = await import("@/lib/server/auth/adapter");
    const adapter = stageboardAdapter(database.db);
    const old = await session(new Date(Date.now() + 3 * DAY_MS), new Date(Date.now() - 31 * DAY_MS));
    expect(await adapter.getSessionAndUser?.(old)).toBeNull();
    expect(await stored(old)).toBeNull();

    const signedIn = Date.now() - 27 * DAY_MS;
    const ageing = await session(new Date(Date.now() + DAY_MS), new Date(signedIn));
    const updated = await adapter.updateSession?.({ sessionToken: ageing, expires: new Date(Date.now() + 7 * DAY_MS) });
    expect(updated).toMatchObject({ sessionToken: ageing, userId, expires: new Date(signedIn + 30 * DAY_MS) });
    expect((await adapter.getSessionAndUser?.(ageing))?.session.expires).toEqual(new Date(signedIn + 30 * DAY_MS));
  });
});
