import { describe, expect, it } from "vitest";
import { refuseAuthRequest } from "./auth-route-input";

const origin = "http://localhost:3000";
const at = (path: string, cookie?: string) =>
  refuseAuthRequest(new Request(`${origin}${path}`, cookie ? { headers: { cookie } } : {}), origin);

describe("refuseAuthRequest", () => {
  it("hands next-auth's own actions to it", () => {
    for (const path of [
      "/api/auth/session",
      "/api/auth/csrf",
      "/api/auth/providers",
      "/api/auth/signin",
      "/api/auth/signin/github?callbackUrl=%2Fpipelines%2Fabc",
      "/api/auth/callback/github?code=x&state=y",
      "/api/auth/signout",
      "/api/auth/error?error=Configuration",
    ]) {
      expect(at(path), path).toBeNull();
    }
  });

  it("answers 404 to an action next-auth does not know", async () => {
    const answer = at("/api/auth/-4.69e+143");
    expect(answer?.status).toBe(404);
    expect(await answer?.json()).toEqual({ error: { code: "not_found", message: "No such sign-in address" } });
    expect(at("/api/auth")?.status).toBe(404);
  });

  it("answers 400 to a callback URL that is not an http(s) URL, as next-auth would fail on it", () => {
    expect(at("/api/auth/signin?callbackUrl=%7B%3DD~hQr")?.status).toBe(400);
    expect(at("/api/auth/signin?callbackUrl=javascript%3Aalert(1)")?.status).toBe(400);
    expect(at("/api/auth/signin?callbackUrl=%2Fpipelines")).toBeNull();
    expect(at("/api/auth/signin?callbackUrl=http%3A%2F%2Flocalhost%3A3000%2F")).toBeNull();
  });

  it("answers 400 to a broken callback cookie and clears it", () => {
    const answer = at("/api/auth/session", "a=1; next-auth.callback-url=%7Bnot-a-url");
    expect(answer?.status).toBe(400);
    expect(answer?.headers.get("set-cookie")).toMatch(/^next-auth\.callback-url=; Path=\/; Max-Age=0/);
    expect(at("/api/auth/session", "next-auth.callback-url=http%3A%2F%2Flocalhost%3A3000")).toBeNull();
  });
});
