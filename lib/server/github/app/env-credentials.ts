import "server-only";
import { createPrivateKey } from "node:crypto";
import { readFileSync } from "node:fs";
import { isPemPrivateKey, normalizePrivateKey, type GitHubAppSettings } from "@/lib/config/github-app";
import { env } from "@/lib/env";
import type { CredentialsState } from "./credentials";

// GITHUB_APP_* as lib/env.ts validated them (a half-configured App never starts: githubAppConfigProblem). What is
// left to check needs the key itself: the file must be readable, and the PEM an RSA private key (auth-app signs
// RS256 with it, and rejects OpenSSH keys).

/** Why a PEM cannot sign App JWTs, or null when it can. */
export function privateKeyProblem(pem: string): string | null {
  if (!isPemPrivateKey(pem)) return "is not a PEM private key";
  try {
    const key = createPrivateKey(pem);
    return key.asymmetricKeyType === "rsa" ? null : "is not an RSA key (GitHub App keys are 2048-bit RSA)";
  } catch {
    return "cannot be read as a private key";
  }
}

export function credentialsFromSettings(
  settings: GitHubAppSettings,
  readKeyFile: (path: string) => string,
): CredentialsState {
  const appId = settings.GITHUB_APP_ID;
  if (appId === undefined) return { kind: "not-configured" };
  const unusable = (reason: string): CredentialsState => ({ kind: "unusable", source: "environment", reason });
  let privateKey = settings.GITHUB_APP_PRIVATE_KEY;
  if (privateKey === undefined && settings.GITHUB_APP_PRIVATE_KEY_FILE !== undefined) {
    try {
      privateKey = normalizePrivateKey(readKeyFile(settings.GITHUB_APP_PRIVATE_KEY_FILE));
    } catch (error) {
      const code = error instanceof Error && "code" in error ? String(error.code) : "unreadable";
      return unusable(`GITHUB_APP_PRIVATE_KEY_FILE cannot be read (${code})`);
    }
  }
  if (privateKey === undefined) return unusable("GITHUB_APP_PRIVATE_KEY is not set");
  const problem = privateKeyProblem(privateKey);
  const name = settings.GITHUB_APP_PRIVATE_KEY_FILE === undefined ? "GITHUB_APP_PRIVATE_KEY" : "The key file";
  if (problem) return unusable(`${name} ${problem}`);
  return {
    kind: "configured",
    credentials: {
      source: "environment",
      appId,
      privateKey,
      webhookSecret: settings.GITHUB_APP_WEBHOOK_SECRET ?? null,
      clientId: settings.GITHUB_APP_CLIENT_ID ?? null,
      clientSecret: settings.GITHUB_APP_CLIENT_SECRET ?? null,
      slug: settings.GITHUB_APP_SLUG ?? null,
    },
  };
}

/** The App of GITHUB_APP_*, read (the key file included) each time it is asked for: the caller keeps it. */
export function environmentCredentials(): CredentialsState {
  return credentialsFromSettings(env, (path) => readFileSync(path, "utf8"));
}
