import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, authorize, control, exchange } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;
let clock = Date.UTC(2025, 0, 1);

beforeAll(async () => {
  standIn = await startGitHubStandIn({
    now: () => clock,
    clients: [
      { clientId: CLIENT_ID, clientSecret: CLIENT_SECRET },
      {
        clientId: "registered",
        clientSecret: "registered-secret",
        callbackUrlPrefix: "https://app.example.com/api/auth",
      },
    ],
  });
});
afterAll(() => standIn.stop());

function authorizeUrl(params: Record<string, string>): string {
  return `${standIn.url}/login/oauth/authorize?${new URLSearchParams(params).toString()}`;
}

describe("authorize page", () => {
  it("lists every demo user as a labelled radio button with their reach, and escapes what it echoes", async () => {
    const response = await fetch(
      authorizeUrl({ client_id: CLIENT_ID, redirect_uri: CALLBACK, state: `"><script>x</script>`, scope: "repo" }),
    );
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(html).toMatch(/<h1>Authorize stageboard-dev<\/h1>/);
    for (const [login, name] of [
      ["ada", "Ada Lovelace"],
      ["grace", "Grace Hopper"],
      ["linus", "Linus Torvalds"],
    ]) {
      expect(html).toContain(
        `<label for="user-${login}"><input type="radio" id="user-${login}" name="login" value="${login}"`,
      );
      expect(html).toContain(`${name} (@${login})`);
    }
    expect(html).toContain("admin: acme/api, acme/payments, acme/web-app; read: globex/inventory, globex/storefront");
    expect(html).toContain('<button type="submit" name="decision" value="authorize">Authorize</button>');
    expect(html).toContain('<button type="submit" name="decision" value="cancel">Cancel</button>');
    expect(html).not.toContain("<script>x</script>");
    expect(html).toContain("&quot;&gt;&lt;script&gt;");
  });

  it("pre-selects the user named by ?login=", async () => {
    const html = await (
      await fetch(authorizeUrl({ client_id: CLIENT_ID, redirect_uri: CALLBACK, login: "grace" }))
    ).text();
    expect(html).toMatch(/value="grace" checked/);
    expect(html).not.toMatch(/value="ada" checked/);
  });

  it("answers 404 for an unknown client and 400 for a non-loopback redirect without a registered callback", async () => {
    expect((await fetch(authorizeUrl({ client_id: "nope", redirect_uri: CALLBACK }))).status).toBe(404);
    expect((await fetch(authorizeUrl({ client_id: CLIENT_ID, redirect_uri: "https://evil.example/cb" }))).status).toBe(
      400,
    );
  });

  it("sends a mismatching redirect_uri back to the registered callback with redirect_uri_mismatch and the state", async () => {
    const response = await fetch(
      authorizeUrl({ client_id: "registered", redirect_uri: "https://app.example.com/other", state: "s1" }),
      { redirect: "manual" },
    );
    const location = new URL(response.headers.get("location") ?? "");
    expect(response.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe("https://app.example.com/api/auth");
    expect(location.searchParams.get("error")).toBe("redirect_uri_mismatch");
    expect(location.searchParams.get("state")).toBe("s1");
  });

  it("accepts sub-paths and sub-domains of the registered callback but not another port", async () => {
    const ok = await fetch(
      authorizeUrl({ client_id: "registered", redirect_uri: "https://login.app.example.com/api/auth/callback/github" }),
    );
    expect(ok.status).toBe(200);
    const wrongPort = await fetch(
      authorizeUrl({ client_id: "registered", redirect_uri: "https://app.example.com:8443/api/auth" }),
      { redirect: "manual" },
    );
    expect(new URL(wrongPort.headers.get("location") ?? "").searchParams.get("error")).toBe("redirect_uri_mismatch");
  });
});

describe("consent and token exchange", () => {
  it("redirects with only code and state, then exchanges the code for a gho_ token (JSON, Basic credentials)", async () => {
    const redirect = await authorize(
      standIn.url,
      "ada",
      "read:user user:email repo read:org user",
      "opaque/state+with=chars",
    );
    expect([...redirect.searchParams.keys()].sort()).toEqual(["code", "state"]);
    expect(redirect.searchParams.get("state")).toBe("opaque/state+with=chars");
    expect(`${redirect.origin}${redirect.pathname}`).toBe(CALLBACK);
    const tokens = await exchange(standIn.url, redirect.searchParams.get("code") ?? "");
    expect(tokens.access_token).toMatch(/^gho_[A-Za-z0-9]{36}$/);
    expect(tokens.token_type).toBe("bearer");
    // "user" implies read:user and user:email, so GitHub stores the scopes without them.
    expect(tokens.scope).toBe("repo,read:org,user");
  });

  it("answers form-encoded by default and reads credentials from the body (client_secret_post)", async () => {
    const code = (await authorize(standIn.url, "grace", "repo")).searchParams.get("code") ?? "";
    const response = await fetch(`${standIn.url}/login/oauth/access_token`, {
      method: "POST",
      body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code }),
    });
    expect(response.headers.get("content-type")).toMatch(/^application\/x-www-form-urlencoded/);
    const fields = new URLSearchParams(await response.text());
    expect(fields.get("access_token")).toMatch(/^gho_/);
    expect(fields.get("scope")).toBe("repo");
  });

  it("takes a JSON body as @octokit/oauth-methods sends it", async () => {
    const code = (await authorize(standIn.url, "linus", "")).searchParams.get("code") ?? "";
    const response = await fetch(`${standIn.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/json" },
      body: JSON.stringify({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, code }),
    });
    const body = (await response.json()) as Record<string, string>;
    expect(body.access_token).toMatch(/^gho_/);
    expect(body.scope).toBe("");
  });

  it("refuses a reused, unknown or expired code with HTTP 200 bad_verification_code", async () => {
    const code = (await authorize(standIn.url, "ada")).searchParams.get("code") ?? "";
    expect((await exchange(standIn.url, code)).access_token).toMatch(/^gho_/);
    const reused = await exchange(standIn.url, code);
    expect(reused).toMatchObject({
      error: "bad_verification_code",
      error_description: "The code passed is incorrect or expired.",
    });
    expect(reused.access_token).toBeUndefined();
    expect((await exchange(standIn.url, "0123456789abcdef0123")).error).toBe("bad_verification_code");

    const late = (await authorize(standIn.url, "ada")).searchParams.get("code") ?? "";
    clock += 10 * 60 * 1000 + 1000;
    expect((await exchange(standIn.url, late)).error).toBe("bad_verification_code");
    const fresh = (await authorize(standIn.url, "ada")).searchParams.get("code") ?? "";
    clock += 9 * 60 * 1000;
    expect((await exchange(standIn.url, fresh)).access_token).toMatch(/^gho_/);
  });

  it("refuses a wrong secret with incorrect_client_credentials and a changed redirect_uri with redirect_uri_mismatch", async () => {
    const code = (await authorize(standIn.url, "ada")).searchParams.get("code") ?? "";
    const wrong = await fetch(`${standIn.url}/login/oauth/access_token`, {
      method: "POST",
      headers: { accept: "application/json" },
      body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: "guess", code }),
    });
    expect(wrong.status).toBe(200);
    expect(await wrong.json()).toMatchObject({ error: "incorrect_client_credentials" });
    // The failed attempt did not burn the code; a wrong redirect_uri does.
    expect((await exchange(standIn.url, code, { redirect_uri: "http://localhost:3000/elsewhere" })).error).toBe(
      "redirect_uri_mismatch",
    );
  });

  it("checks PKCE S256 when the authorize request carried a challenge", async () => {
    const verifier = "v".repeat(50);
    const challenge = createHash("sha256").update(verifier).digest("base64url");
    const consent = (extra: Record<string, string>) =>
      fetch(`${standIn.url}/login/oauth/authorize`, {
        method: "POST",
        redirect: "manual",
        body: new URLSearchParams({
          client_id: CLIENT_ID,
          redirect_uri: CALLBACK,
          login: "ada",
          decision: "authorize",
          code_challenge: challenge,
          code_challenge_method: "S256",
          ...extra,
        }),
      });
    const codeOf = async () =>
      new URL((await consent({})).headers.get("location") ?? "").searchParams.get("code") ?? "";
    expect((await exchange(standIn.url, await codeOf(), { code_verifier: "wrong" })).error).toBe(
      "bad_verification_code",
    );
    expect((await exchange(standIn.url, await codeOf(), { code_verifier: verifier })).access_token).toMatch(/^gho_/);
  });

  it("cancel redirects with access_denied, GitHub's description and uri, and the untouched state", async () => {
    const response = await fetch(`${standIn.url}/login/oauth/authorize`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({
        client_id: CLIENT_ID,
        redirect_uri: CALLBACK,
        state: "keep me",
        login: "ada",
        decision: "cancel",
      }),
    });
    const location = new URL(response.headers.get("location") ?? "");
    expect(response.status).toBe(302);
    expect(location.searchParams.get("error")).toBe("access_denied");
    expect(location.searchParams.get("error_description")).toBe("The user has denied your application access.");
    expect(location.searchParams.get("error_uri")).toMatch(
      /troubleshooting-authorization-request-errors\/#access-denied$/,
    );
    expect(location.searchParams.get("state")).toBe("keep me");
    expect(location.searchParams.has("code")).toBe(false);
  });

  it("answers 503 on the OAuth pages during an outage", async () => {
    await control(standIn.url, "/outage", { down: true });
    try {
      expect((await fetch(authorizeUrl({ client_id: CLIENT_ID, redirect_uri: CALLBACK }))).status).toBe(503);
      expect((await fetch(`${standIn.url}/login/oauth/access_token`, { method: "POST" })).status).toBe(503);
    } finally {
      await control(standIn.url, "/outage", { down: false });
    }
  });
});
