import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { startGitHubStandIn } from "@/github-stand-in";
import { serverSchema } from "@/lib/config/schema";
import type * as Admins from "@/lib/server/auth/admins";
import type * as Visibility from "@/lib/server/auth/visibility";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";
import type { TestDatabase } from "@/lib/server/testing/test-database";

// STAGEBOARD_ADMINS against the GitHub stand-in over HTTP and a real Postgres: administrators are GitHub
// accounts, by id. A login entry names the account it first resolved to, whoever holds the login later.
const TTL_S = 300;
let standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
let database: TestDatabase;
let admins: typeof Admins;
let visibility: typeof Visibility;
let seal: Parameters<typeof createSignedInUser>[2];
const signedIn: Record<string, { userId: string; token: string }> = {};

/** Signs `login` in as the account that holds it now; `as` keys the result when a login changes hands. */
async function signIn(login: string, as = login) {
  const token = await standInToken(standIn.url, login);
  const githubId = await standInAccountId(standIn.url, login);
  signedIn[as] = { userId: await createSignedInUser(database.db, { login, githubId, token }, seal), token };
}

const isAdmin = (who: string, entries: string[]) => {
  const user = signedIn[who];
  if (!user) throw new Error(`${who} has not signed in`);
  return admins.isConfiguredAdmin(database.db, user.token, user.userId, entries);
};

beforeAll(async () => {
  standIn = await startGitHubStandIn({ port: 0 });
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("REPOSITORY_CACHE_TTL_SECONDS", String(TTL_S));
  // Grace by account id, Linus by login: what the access refresh applies.
  vi.stubEnv("STAGEBOARD_ADMINS", "id:1002,linus");
  admins = await import("@/lib/server/auth/admins");
  visibility = await import("@/lib/server/auth/visibility");
  seal = (await import("@/lib/server/auth/adapter")).sealToken;
  const { createTestDatabase } = await import("@/lib/server/testing/test-database");
  database = await createTestDatabase();
  for (const login of ["ada", "grace", "linus"]) await signIn(login);
});

afterAll(async () => {
  await database.drop();
  await standIn.stop();
  vi.unstubAllEnvs();
});

describe("administrators", () => {
  it("are applied by the access refresh: an id: entry and a login entry, nobody else", async () => {
    const later = Date.now() + (TTL_S + 1) * 1000;
    const viewer = (who: string) => visibility.loadViewer(database.db, signedIn[who]?.userId ?? "", later);
    expect((await viewer("grace"))?.isAdmin).toBe(true);
    expect((await viewer("linus"))?.isAdmin).toBe(true);
    expect((await viewer("ada"))?.isAdmin).toBe(false);
    expect(await database.db.adminLoginPin.findUnique({ where: { login: "linus" } })).toMatchObject({
      githubId: 1003n,
    });
  });

  it("named by id: are the account with that GitHub id, whatever its login", async () => {
    expect(await isAdmin("grace", ["id:1002"])).toBe(true);
    expect(await isAdmin("ada", ["id:1002"])).toBe(false);
    expect(await isAdmin("ada", ["id:10010", "id:101"])).toBe(false);
  });

  it("named by login: are pinned to the account the login first resolved to; a later holder is refused", async () => {
    expect(await isAdmin("ada", ["ada"])).toBe(true);
    expect(await database.db.adminLoginPin.findUnique({ where: { login: "ada" } })).toMatchObject({
      githubId: 1001n,
    });
    // Ada renames her account; someone else registers "ada" and signs in.
    await standInControl(standIn.url, "users/rename", { login: "ada", to: "ada-lovelace" });
    await standInControl(standIn.url, "users", { login: "ada", name: "Not Ada" });
    await signIn("ada", "newcomer");
    expect(await isAdmin("newcomer", ["ada"])).toBe(false);
    expect(await isAdmin("newcomer", ["ADA"])).toBe(false);
    // The account the entry was pinned to stays an administrator under its new login.
    expect(await isAdmin("ada", ["ada"])).toBe(true);
  });

  it("pins a login entry to whoever holds the login when it is first resolved, not to who signs in", async () => {
    // Nobody has signed in as grace under this entry yet: resolving it (with anyone's token) pins Grace.
    expect(await isAdmin("linus", ["Grace"])).toBe(false);
    expect(await database.db.adminLoginPin.findUnique({ where: { login: "grace" } })).toMatchObject({
      githubId: 1002n,
    });
    expect(await isAdmin("grace", ["grace"])).toBe(true);
    // A login no account holds names nobody, and is not pinned.
    expect(await isAdmin("grace", ["no-such-person"])).toBe(false);
    expect(await database.db.adminLoginPin.findUnique({ where: { login: "no-such-person" } })).toBeNull();
  });

  it("named by organisation or team: still work, asking about the account's current login", async () => {
    // Ada (now ada-lovelace) is a member of acme and maintains acme/platform; the newcomer is neither.
    expect(await isAdmin("ada", ["org:acme"])).toBe(true);
    expect(await isAdmin("ada", ["team:acme/platform"])).toBe(true);
    expect(await isAdmin("newcomer", ["org:acme"])).toBe(false);
    expect(await isAdmin("newcomer", ["team:acme/platform"])).toBe(false);
    expect(await isAdmin("grace", ["team:acme/platform"])).toBe(false);
  });
});

describe("STAGEBOARD_ADMINS entries", () => {
  it("parse into rules; anything else names nobody", async () => {
    expect(admins.parseAdminEntry("id:583231")).toEqual({ kind: "id", githubId: 583231n });
    expect(admins.parseAdminEntry("id:9223372036854775807")).toEqual({
      kind: "id",
      githubId: 9_223_372_036_854_775_807n,
    });
    expect(admins.parseAdminEntry("Ada")).toEqual({ kind: "login", login: "ada" });
    expect(admins.parseAdminEntry("team:acme/platform")).toEqual({ kind: "team", org: "acme", team: "platform" });
    for (const bad of ["id:", "id:0", "id:12a", "id:-4", "id:9223372036854775808", "team:acme", "user:ada", "a/b"])
      expect(admins.parseAdminEntry(bad)).toBeNull();
    expect(await isAdmin("grace", ["id:abc", "team:acme"])).toBe(false);
  });

  it("are refused at start-up when malformed, with the forms that are accepted", () => {
    const parse = (value: string) =>
      z.object({ STAGEBOARD_ADMINS: serverSchema.STAGEBOARD_ADMINS }).safeParse({
        STAGEBOARD_ADMINS: value,
      });
    expect(parse("ada, id:1002 ,org:acme,team:acme/platform").data?.STAGEBOARD_ADMINS).toEqual([
      "ada",
      "id:1002",
      "org:acme",
      "team:acme/platform",
    ]);
    for (const bad of ["id:ada", "id:9223372036854775808", "team:acme", "role:admin", "a b"]) {
      const result = parse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/id:<account id>/);
    }
  });
});
