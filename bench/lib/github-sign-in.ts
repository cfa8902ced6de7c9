// Signs a person in the way a browser does, over HTTP: next-auth's CSRF token, the sign-in POST that
// sends them to GitHub (here the stand-in) with state and PKCE, the stand-in's consent page and form,
// and the callback that redeems the code, stores the encrypted token and opens a database session.
// Nothing is written to the database by hand: the session cookie is the one next-auth set.
import { applySetCookies, cookieHeader, type CookieJar } from "./cookie-jar";

const SESSION_COOKIE = "next-auth.session-token";

async function answer(response: Response, what: string, expected: number[]): Promise<Response> {
  if (expected.includes(response.status)) return response;
  const body = await response.text().catch(() => "");
  throw new Error(`${what} answered ${response.status}: ${body.slice(0, 300)}`);
}

/** The Cookie header of a signed-in session of `login` on the app at `appUrl`. */
export async function signInThroughGitHub(appUrl: string, login: string): Promise<string> {
  let jar: CookieJar = new Map();
  const keep = (response: Response) => (jar = applySetCookies(jar, response.headers.getSetCookie(), Date.now()));

  const csrf = await answer(await fetch(`${appUrl}/api/auth/csrf`), "GET /api/auth/csrf", [200]);
  keep(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };

  const signIn = await answer(
    await fetch(`${appUrl}/api/auth/signin/github`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        origin: appUrl,
        cookie: cookieHeader(jar),
      },
      body: new URLSearchParams({ csrfToken, callbackUrl: `${appUrl}/`, json: "true" }),
      redirect: "manual",
    }),
    "POST /api/auth/signin/github",
    [200],
  );
  keep(signIn);
  const authorize = new URL(((await signIn.json()) as { url: string }).url);
  if (!authorize.pathname.endsWith("/login/oauth/authorize"))
    throw new Error(`sign-in did not lead to GitHub's authorize page but to ${authorize.toString()}`);

  // The consent page, then its form with the same hidden fields and the chosen person.
  await answer(await fetch(authorize), "the consent page", [200]).then((r) => r.text());
  const form = new URLSearchParams(authorize.searchParams);
  form.delete("response_type");
  form.set("login", login);
  form.set("decision", "authorize");
  const consent = await answer(
    await fetch(new URL("/login/oauth/authorize", authorize), { method: "POST", body: form, redirect: "manual" }),
    "the consent form",
    [302],
  );
  const callback = consent.headers.get("location");
  if (!callback?.startsWith(`${appUrl}/api/auth/callback/github`))
    throw new Error(`the consent form sent the browser to ${callback ?? "nowhere"}`);

  const done = await answer(
    await fetch(callback, { headers: { cookie: cookieHeader(jar) }, redirect: "manual" }),
    "the sign-in callback",
    [302],
  );
  keep(done);
  const session = jar.get(SESSION_COOKIE);
  if (!session)
    throw new Error(`the sign-in callback set no session (sent to ${done.headers.get("location") ?? "nowhere"})`);
  return `${SESSION_COOKIE}=${session}`;
}
