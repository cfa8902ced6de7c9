import { z } from "zod";

// How people sign in (README "Which sign-in to choose"):
// - `oauth-app`: the OAuth App (GITHUB_CLIENT_ID/SECRET) with the `repo` scope. Tokens never expire; a person sees every
//   repository they can read on GitHub.
// - `github-app`: the GitHub App's own user authorization (GITHUB_APP_CLIENT_ID/SECRET). No scopes: a token can do only
//   what both the person and the App may, lasts 8 hours and is refreshed; a person sees only repositories the App is
//   installed on.

export const SIGN_IN_MODES = ["oauth-app", "github-app"] as const;
export type SignInMode = (typeof SIGN_IN_MODES)[number];

export const signInSchema = {
  GITHUB_SIGN_IN: z.enum(SIGN_IN_MODES, { message: "must be oauth-app or github-app" }).optional(),
};

export interface SignInSettings {
  GITHUB_SIGN_IN?: SignInMode;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  GITHUB_APP_CLIENT_ID?: string;
  GITHUB_APP_CLIENT_SECRET?: string;
}

const hasAppClient = (s: SignInSettings) =>
  s.GITHUB_APP_CLIENT_ID !== undefined && s.GITHUB_APP_CLIENT_SECRET !== undefined;
const hasOAuthApp = (s: SignInSettings) => s.GITHUB_CLIENT_ID !== undefined && s.GITHUB_CLIENT_SECRET !== undefined;

/**
 * The sign-in in use: GITHUB_SIGN_IN when set; otherwise the App's when only the App has client credentials (an
 * instance set up with the App alone), else the OAuth App's, which an instance configured both ways keeps, so adding
 * the App for write-back changes nobody's sign-in.
 */
export function signInMode(settings: SignInSettings): SignInMode {
  if (settings.GITHUB_SIGN_IN) return settings.GITHUB_SIGN_IN;
  return hasAppClient(settings) && !hasOAuthApp(settings) ? "github-app" : "oauth-app";
}

/** The one line start-up stops with when the chosen sign-in cannot work, or null. */
export function signInConfigProblem(settings: SignInSettings): string | null {
  if (settings.GITHUB_SIGN_IN === "github-app" && !hasAppClient(settings))
    return "Invalid configuration: GITHUB_SIGN_IN is github-app, so GITHUB_APP_CLIENT_ID and GITHUB_APP_CLIENT_SECRET are needed too (the App's client id and a client secret, on its settings page)";
  return null;
}
