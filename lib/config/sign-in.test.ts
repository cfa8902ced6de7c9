import { describe, expect, it } from "vitest";
import { z } from "zod";
import { signInConfigProblem, signInMode, signInSchema } from "./sign-in";

const oauthApp = { GITHUB_CLIENT_ID: "Ov23li", GITHUB_CLIENT_SECRET: "oauth-secret" };
const appClient = { GITHUB_APP_CLIENT_ID: "Iv23li", GITHUB_APP_CLIENT_SECRET: "app-secret" };

describe("which sign-in an instance uses", () => {
  it("follows GITHUB_SIGN_IN when it is set", () => {
    expect(signInMode({ GITHUB_SIGN_IN: "github-app", ...oauthApp, ...appClient })).toBe("github-app");
    expect(signInMode({ GITHUB_SIGN_IN: "oauth-app", ...appClient })).toBe("oauth-app");
  });

  it("defaults to the App's user authorization only when the App alone has client credentials", () => {
    expect(signInMode(appClient)).toBe("github-app");
    // Both configured (npm start's demo): the OAuth App keeps signing people in.
    expect(signInMode({ ...oauthApp, ...appClient })).toBe("oauth-app");
    expect(signInMode(oauthApp)).toBe("oauth-app");
    expect(signInMode({})).toBe("oauth-app");
    expect(signInMode({ GITHUB_APP_CLIENT_ID: "Iv23li" })).toBe("oauth-app");
  });

  it("refuses github-app without the App's client id and secret, naming both", () => {
    expect(signInConfigProblem({ GITHUB_SIGN_IN: "github-app", ...oauthApp })).toMatch(
      /GITHUB_SIGN_IN is github-app, so GITHUB_APP_CLIENT_ID and GITHUB_APP_CLIENT_SECRET are needed too/,
    );
    expect(signInConfigProblem({ GITHUB_SIGN_IN: "github-app", GITHUB_APP_CLIENT_ID: "Iv23li" })).not.toBeNull();
    expect(signInConfigProblem({ GITHUB_SIGN_IN: "github-app", ...appClient })).toBeNull();
    expect(signInConfigProblem({ GITHUB_SIGN_IN: "oauth-app" })).toBeNull();
    expect(signInConfigProblem({})).toBeNull();
  });

  it("accepts only the two modes", () => {
    const schema = z.object(signInSchema);
    expect(schema.parse({ GITHUB_SIGN_IN: "github-app" })).toEqual({ GITHUB_SIGN_IN: "github-app" });
    expect(schema.safeParse({ GITHUB_SIGN_IN: "github" }).error?.issues[0]?.message).toBe(
      "must be oauth-app or github-app",
    );
  });
});
