// Test fixture for approvals and commands: the GitHub stand-in and the CodePipeline sandbox over HTTP, a
// migrated database synced from the sandbox's fleet, people signed in on the stand-in (real tokens, stored
// sealed), and the environment pointing the app's control client at the sandbox. App modules read their
// configuration when first imported, so callers import them (dynamically) after createControlFixture.
import "server-only";
import { randomBytes } from "node:crypto";
import { vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import { findFreePort } from "@/lib/server/net/free-port";
import type { Fixture } from "@/lib/server/sync/testing/fixture";
import type { SyncEngineOptions } from "@/lib/server/sync/engine";
import type { Viewer } from "@/lib/server/session";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";

export interface ControlFixture {
  f: Fixture;
  standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
  sync: Partial<SyncEngineOptions>;
  /** User ids by login. */
  users: Record<string, string>;
  signIn(login: string): Promise<string>;
  viewer(login: string): Promise<Viewer>;
  /** Requests the sandbox answered for `operation` so far. */
  awsCalls(operation: string): Promise<number>;
  close(): Promise<void>;
}

export async function createControlFixture(
  options: { env?: Record<string, string>; pipelines?: number; logins?: string[] } = {},
): Promise<ControlFixture> {
  const standIn = await startGitHubStandIn({ port: 0 });
  const port = await findFreePort();
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("GITHUB_COM_STAND_IN_URL", standIn.url);
  vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_ADMINS", "");
  // Targets make the instance "real", which needs its own secrets.
  vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
  vi.stubEnv(
    "STAGEBOARD_TARGETS",
    JSON.stringify([{ id: "sandbox", region: "us-east-1", endpoint: `http://127.0.0.1:${port}` }]),
  );
  for (const [name, value] of Object.entries(options.env ?? {})) vi.stubEnv(name, value);
  const { createFixture, TEST_SETTINGS } = await import("@/lib/server/sync/testing/fixture");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  const visibility = await import("@/lib/server/auth/visibility");
  const f = await createFixture({ port, pipelines: options.pipelines ?? 4, historyDays: 1, githubUrl: standIn.url });
  const fleet = (await f.control("repositories")) as { repositories: string[] };
  await standInControl(standIn.url, "repositories", { repositories: fleet.repositories });
  const sync = { settings: { ...TEST_SETTINGS, githubUrl: standIn.url, githubComStandInUrl: standIn.url } };
  await f.drain(sync);
  const users: Record<string, string> = {};
  const signIn = async (login: string) => {
    const token = await standInToken(standIn.url, login);
    const githubId = await standInAccountId(standIn.url, login);
    users[login] = await createSignedInUser(f.database.db, { login, githubId, token }, sealToken);
    return users[login];
  };
  for (const login of options.logins ?? ["ada", "grace", "linus"]) await signIn(login);
  return {
    f,
    standIn,
    sync,
    users,
    signIn,
    async viewer(login) {
      const viewer = await visibility.loadViewer(f.database.db, users[login] ?? "");
      if (!viewer) throw new Error(`no viewer for ${login}`);
      return viewer;
    },
    async awsCalls(operation) {
      return (await f.stats()).requests[operation] ?? 0;
    },
    async close() {
      await f.close();
      await standIn.stop();
      vi.unstubAllEnvs();
    },
  };
}
