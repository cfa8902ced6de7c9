// Signed-in users for tests against the GitHub stand-in: a real token from its OAuth flow (the consent
// form posted as a person would), stored sealed on a User + Account as next-auth's adapter stores them.
import type { Db } from "@/lib/server/db/client";

const CLIENT = { client_id: "stageboard-dev", client_secret: "stageboard-dev-secret" };
const REDIRECT = "http://127.0.0.1:9/callback";

/** A token the stand-in issued to `login` through its OAuth web flow. */
export async function standInToken(standInUrl: string, login: string): Promise<string> {
  const form = new URLSearchParams({
    client_id: CLIENT.client_id,
    redirect_uri: REDIRECT,
    scope: "read:user user:email repo read:org",
    state: "s",
    login,
    decision: "authorize",
  });
  const consent = await fetch(`${standInUrl}/login/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  const code = new URL(consent.headers.get("location") ?? "").searchParams.get("code") ?? "";
  const exchanged = await fetch(`${standInUrl}/login/oauth/access_token`, {
    method: "POST",
    headers: { accept: "application/json", "content-type": "application/json" },
    body: JSON.stringify({ ...CLIENT, code, redirect_uri: REDIRECT }),
  });
  const { access_token: token } = (await exchanged.json()) as { access_token?: string };
  if (!token) throw new Error(`the stand-in issued no token for ${login}`);
  return token;
}

/** The stand-in's control plane; fails the test on anything but 200. */
export async function standInControl<T = unknown>(standInUrl: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(
    `${standInUrl}/_stand-in/${path}`,
    body === undefined
      ? {}
      : { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) },
  );
  const answer = (await response.json()) as T;
  if (!response.ok) throw new Error(`stand-in ${path} answered ${response.status}: ${JSON.stringify(answer)}`);
  return answer;
}

/** The GitHub account id the stand-in gives `login` now. */
export async function standInAccountId(standInUrl: string, login: string): Promise<number> {
  const users = await standInControl<{ login: string; id: number }[]>(standInUrl, "users");
  const user = users.find((u) => u.login.toLowerCase() === login.toLowerCase());
  if (!user) throw new Error(`the stand-in has no user ${login}`);
  return user.id;
}

/**
 * A User (with `githubId` as its GitHub account id) and its GitHub Account holding `token`, sealed with
 * `seal` (the adapter's sealToken, imported by the caller once the environment is set).
 */
export async function createSignedInUser(
  db: Db,
  user: { login: string; githubId: number; token: string },
  seal: (token: string, slot: { column: "access_token"; provider: string; providerAccountId: string }) => string | null,
): Promise<string> {
  const created = await db.user.create({ data: { githubId: user.githubId, login: user.login } });
  const providerAccountId = String(user.githubId);
  await db.account.create({
    data: {
      userId: created.id,
      type: "oauth",
      provider: "github",
      providerAccountId,
      access_token: seal(user.token, { column: "access_token", provider: "github", providerAccountId }),
    },
  });
  return created.id;
}
