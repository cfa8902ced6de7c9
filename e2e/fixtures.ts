import { createHash, randomBytes, randomInt } from "node:crypto";
import { test as base, expect, type Page } from "@playwright/test";
import pg from "pg";
import { E2E, embeddedDatabaseUrl } from "./environment";

export type TestUser = { id: string; sessionToken: string; login(page: Page): Promise<void> };

type Fixtures = {
  db: pg.Client;
  users: { create(input: { login?: string; repositories: string[]; isAdmin?: boolean }): Promise<TestUser> };
  sandbox: {
    url: string;
    advance(ms: number): Promise<void>;
    control<T = unknown>(route: string, body?: unknown): Promise<T>;
  };
};

/**
 * The id the GitHub stand-in gives a repository, or, for a name it does not hold (a dedicated pipeline's, say),
 * a stable id of its own far above the stand-in's.
 */
async function standInRepositoryId(fullName: string): Promise<string> {
  const response = await fetch(`${E2E.githubUrl}/_stand-in/repositories`);
  const { ids } = (await response.json()) as { ids: Record<string, number> };
  const known = Object.entries(ids).find(([name]) => name.toLowerCase() === fullName);
  if (known) return String(known[1]);
  return String(
    9_000_000_000_000 + (parseInt(createHash("sha1").update(fullName).digest("hex").slice(0, 10), 16) % 1e12),
  );
}

export const test = base.extend<Fixtures>({
  db: async ({}, provide) => {
    const client = new pg.Client({ connectionString: embeddedDatabaseUrl(E2E.dataDir, E2E.postgresPort) });
    await client.connect();
    await provide(client);
    await client.end();
  },

  // Users made straight in the database with a session, as next-auth would have stored them. Their
  // repository list is dated in the future so the visibility cache never asks GitHub about them
  // (they have no GitHub token); the real sign-in flow has its own specs.
  users: async ({ db }, provide, testInfo) => {
    const created: string[] = [];
    await provide({
      async create({ login, repositories, isAdmin = false }) {
        const name = login ?? `user-${testInfo.workerIndex}-${Date.now()}`;
        const id = `e2e_${randomBytes(8).toString("hex")}`;
        const sessionToken = randomBytes(24).toString("hex");
        await db.query(
          `INSERT INTO "User" (id, "githubId", login, name, "updatedAt", "reposFetchedAt", "isAdmin") VALUES ($1, $2, $3, $3, now(), now() + interval '1 day', $4)`,
          [id, 900_000_000 + randomInt(90_000_000), name, isAdmin],
        );
        for (const fullName of repositories) {
          // As the access refresh stores a list: each repository with its GitHub id, which pins a repository
          // row not pinned yet (visibility compares ids). A row pinned already keeps its id.
          const key = fullName.toLowerCase();
          const pinned = await db.query<{ id: string }>(
            `SELECT "githubId"::text AS id FROM "Repository" WHERE "fullName" = $1 AND "githubId" IS NOT NULL`,
            [key],
          );
          const githubId = pinned.rows[0]?.id ?? (await standInRepositoryId(key));
          await db.query(
            `INSERT INTO "UserRepository" ("userId", "fullName", permission, "githubId") VALUES ($1, $2, 'read', $3)`,
            [id, key, githubId],
          );
          await db.query(
            `UPDATE "Repository" SET "githubId" = $2, "githubIdSource" = 'user-repository-list', "githubIdPinnedAt" = now(),
                    "githubFullName" = "fullName"
              WHERE "fullName" = $1 AND "githubId" IS NULL`,
            [key, githubId],
          );
        }
        await db.query(
          `INSERT INTO "Session" (id, "tokenHash", "userId", expires) VALUES ($1, encode(sha256(convert_to($2, 'UTF8')), 'hex'), $3, now() + interval '1 day')`,
          [`s_${id}`, sessionToken, id],
        );
        created.push(id);
        const loginWith = async (page: Page) => {
          await page
            .context()
            .addCookies([
              {
                name: "next-auth.session-token",
                value: sessionToken,
                url: E2E.appUrl,
                httpOnly: true,
                sameSite: "Lax",
              },
            ]);
        };
        return { id, login: loginWith, sessionToken };
      },
    });
    for (const id of created) await db.query(`DELETE FROM "User" WHERE id = $1`, [id]);
  },

  sandbox: async ({}, provide) => {
    const control = async <T>(route: string, body?: unknown): Promise<T> => {
      const response = await fetch(
        `${E2E.sandboxUrl}/_sandbox/${route}`,
        body === undefined
          ? {}
          : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
      );
      expect(response.ok, `sandbox ${route} answered ${response.status}`).toBe(true);
      return (await response.json()) as T;
    };
    await provide({
      url: E2E.sandboxUrl,
      control,
      advance: (ms) => control("clock/advance", { ms }).then(() => undefined),
    });
  },
});

export { expect };

/** Signs in the way a person does: sign-in page, the GitHub stand-in's consent page, and back. */
export async function signInThroughGitHub(page: Page, login: string) {
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
  await page.getByRole("button", { name: "Sign in with GitHub" }).click();
  await expect(page).toHaveURL(new RegExp(`^${E2E.githubUrl}/login/oauth/authorize`));
  await page.getByRole("radio", { name: new RegExp(`@${login}\\)`) }).check();
  await page.getByRole("button", { name: "Authorize" }).click();
  await expect(page).toHaveURL(`${E2E.appUrl}/`);
}
