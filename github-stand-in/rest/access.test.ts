import { describe, expect, it } from "vitest";
import { generateAppKeySync } from "../app/keys";
import type { AppRecord } from "../world/apps";
import type { InstallationTokenRecord, TokenRecord } from "../world/tokens";
import { World } from "../world/world";
import type { Repository } from "../world/world";
import { decideRepositoryAccess } from "./access";
import type { Authentication } from "./authenticate";

// GitHub's own example (generating-a-user-access-token-for-a-github-app): the App is installed on A and B, the
// user can reach B and C, so the user's App token reaches B only.
function account(world: World, login: string) {
  const found = world.account(login);
  if (!found) throw new Error(`no account ${login}`);
  return found;
}

function exampleWorld() {
  const world = new World([
    { login: "dev", name: "Dev", id: 7, repositories: { "org/b": "write", "org/c": "write" } },
    { login: "reader", name: "Reader", id: 8, repositories: { "org/b": "read" } },
  ]);
  world.addRepositories(["org/a", "org/b", "org/c"]);
  const registered = world.apps.register({
    name: "Example",
    description: null,
    owner: account(world, "org"),
    webhookSecret: null,
    webhookUrl: null,
    webhookActive: false,
    url: "http://localhost:3000",
    callbackUrls: [],
    setupUrl: null,
    public: false,
    permissions: { statuses: "write", checks: "read" },
    events: [],
    expiringUserTokens: true,
    publicKey: generateAppKeySync().publicKey,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
  });
  if (registered.kind !== "registered") throw new Error(registered.reason);
  const repo = (name: string): Repository => {
    const found = world.repository("org", name);
    if (!found) throw new Error(`no repository org/${name}`);
    return found;
  };
  const { installation } = world.installations.install({
    app: registered.app,
    account: account(world, "org"),
    repositories: [repo("a"), repo("b")],
    at: "2026-01-01T00:00:00Z",
  });
  return { world, app: registered.app, installation, repo };
}

function userToken(world: World, login: string, app: AppRecord | null, scopes: string[] = []): Authentication {
  const user = world.user(login);
  if (!user) throw new Error(`no user ${login}`);
  const token: TokenRecord = {
    token: "t",
    userId: user.id,
    clientId: "c",
    scopes,
    revoked: false,
    appId: app?.id ?? null,
    expiresAt: null,
  };
  return { kind: "token", token, user, app };
}

const statusesWrite = { permission: "statuses", level: "write", scopes: ["repo:status"], role: "write" } as const;
const checksWrite = { permission: "checks", level: "write", scopes: ["repo"], role: "write" } as const;

describe("decideRepositoryAccess", () => {
  it("gives an App user token only what both the user and the installation reach", () => {
    const { world, app, repo } = exampleWorld();
    const auth = userToken(world, "dev", app);
    const kinds = ["a", "b", "c"].map((name) => decideRepositoryAccess(world, auth, repo(name), statusesWrite).kind);
    expect(kinds).toEqual(["hidden", "allowed", "hidden"]);
  });

  it("gives an App user token the intersection of permissions: neither side lifts the other", () => {
    const { world, app, repo } = exampleWorld();
    // The installation only reads checks; the user only reads b.
    expect(decideRepositoryAccess(world, userToken(world, "dev", app), repo("b"), checksWrite).kind).toBe("forbidden");
    expect(decideRepositoryAccess(world, userToken(world, "reader", app), repo("b"), statusesWrite).kind).toBe(
      "forbidden",
    );
  });

  it("holds an installation token to its repositories, its narrowing and both its and the installation's grant", () => {
    const { world, app, installation, repo } = exampleWorld();
    const token = (permissions: InstallationTokenRecord["permissions"], repositoryIds: number[] | null) =>
      ({
        kind: "installation",
        installation,
        app,
        token: {
          token: "ghs_x",
          installationId: installation.id,
          appId: app.id,
          permissions,
          repositoryIds,
          expiresAt: 1,
        },
      }) satisfies Authentication;
    const full = token({ statuses: "write", metadata: "read" }, null);
    expect(["a", "b", "c"].map((n) => decideRepositoryAccess(world, full, repo(n), statusesWrite).kind)).toEqual([
      "allowed",
      "allowed",
      "hidden",
    ]);
    const allowed = decideRepositoryAccess(world, full, repo("a"), statusesWrite);
    expect(allowed).toMatchObject({ kind: "allowed", actor: { login: "example[bot]", type: "Bot" } });
    const narrowed = token({ statuses: "write" }, [repo("b").id]);
    expect(decideRepositoryAccess(world, narrowed, repo("a"), statusesWrite).kind).toBe("hidden");
    // A token claiming checks:write still cannot exceed the installation's checks:read.
    expect(decideRepositoryAccess(world, token({ checks: "write" }, null), repo("a"), checksWrite).kind).toBe(
      "forbidden",
    );
  });

  it("keeps the OAuth rule for OAuth tokens: scopes and role, and 404 rather than 403", () => {
    const { world, repo } = exampleWorld();
    expect(decideRepositoryAccess(world, userToken(world, "dev", null, ["repo"]), repo("b"), statusesWrite).kind).toBe(
      "allowed",
    );
    expect(
      decideRepositoryAccess(world, userToken(world, "dev", null, ["read:user"]), repo("b"), statusesWrite),
    ).toEqual({ kind: "hidden" });
    expect(decideRepositoryAccess(world, userToken(world, "reader", null, ["repo"]), repo("b"), statusesWrite)).toEqual(
      { kind: "hidden" },
    );
    expect(decideRepositoryAccess(world, { kind: "anonymous" }, repo("b"), statusesWrite)).toEqual({ kind: "hidden" });
  });
});
