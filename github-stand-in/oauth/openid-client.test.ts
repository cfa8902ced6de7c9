import { afterAll, beforeAll, describe, expect, it } from "vitest";
// openid-client is what next-auth 4 uses for every OAuth call; it arrives with next-auth (which pins it).
import { Issuer } from "openid-client";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { CALLBACK, CLIENT_ID, CLIENT_SECRET, STAGEBOARD_SCOPES } from "../test-support/github-client";

let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn();
});
afterAll(() => standIn.stop());

function nextAuthClient() {
  // The endpoints next-auth's GitHub provider points at, moved onto the stand-in's one base URL.
  const issuer = new Issuer({
    issuer: "https://github.com/login/oauth",
    authorization_endpoint: `${standIn.url}/login/oauth/authorize`,
    token_endpoint: `${standIn.url}/login/oauth/access_token`,
    userinfo_endpoint: `${standIn.url}/api/v3/user`,
  });
  return new issuer.Client({
    client_id: CLIENT_ID,
    client_secret: CLIENT_SECRET,
    redirect_uris: [CALLBACK],
    response_types: ["code"],
  });
}

async function consent(authorizationUrl: string, login: string): Promise<URL> {
  const asked = new URL(authorizationUrl);
  const page = await fetch(asked);
  expect(page.status).toBe(200);
  const form = new URLSearchParams(asked.searchParams);
  form.set("login", login);
  form.set("decision", "authorize");
  const response = await fetch(`${standIn.url}/login/oauth/authorize`, {
    method: "POST",
    body: form,
    redirect: "manual",
  });
  return new URL(response.headers.get("location") ?? "");
}

describe("next-auth's OAuth library against the stand-in", () => {
  it("completes the flow with client_secret_basic and reads the profile, email included", async () => {
    const client = nextAuthClient();
    const state = "signed-state-cookie-value";
    const url = client.authorizationUrl({ scope: STAGEBOARD_SCOPES, state });
    const back = await consent(url, "linus");
    const params = client.callbackParams(back.toString());
    const tokens = await client.oauthCallback(CALLBACK, params, { state });
    expect(tokens.access_token).toMatch(/^gho_/);
    expect(tokens.scope).toBe("read:user,user:email,repo,read:org");
    const profile = await client.userinfo(tokens.access_token ?? "");
    expect(profile).toMatchObject({ login: "linus", id: 1003, name: "Linus Torvalds", email: "linus@example.com" });
  });

  it("yields no token when the code was already used (GitHub's 200 error), as next-auth then fails sign-in", async () => {
    const client = nextAuthClient();
    const back = await consent(client.authorizationUrl({ scope: "read:user", state: "s" }), "ada");
    const params = client.callbackParams(back.toString());
    await client.oauthCallback(CALLBACK, params, { state: "s" });
    // openid-client only throws on non-200 statuses, so GitHub's 200 error becomes a token set without a token.
    const second = await client.oauthCallback(CALLBACK, params, { state: "s" });
    expect(second.access_token).toBeUndefined();
    expect(second.error).toBe("bad_verification_code");
  });
});
