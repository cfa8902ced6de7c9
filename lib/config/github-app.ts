import { z } from "zod";

// The GitHub App Stageboard reports to GitHub as (README "GitHub App"). All optional: without them an administrator
// can create the App from the setup page (/settings/github-app), whose credentials are then stored sealed in
// PostgreSQL; when both exist, these win. Checked field by field here, and as a whole by githubAppConfigProblem.

const PEM = /^-----BEGIN (?:RSA )?PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+\n-----END (?:RSA )?PRIVATE KEY-----\n?$/;

/**
 * A PEM as configured: a `.env` file or a secret store often holds it on one line, with `\n` (or `\r\n`) written
 * out; those become line breaks, and surrounding quotes or spaces are dropped.
 */
export function normalizePrivateKey(raw: string): string {
  const unquoted = raw.trim().replace(/^(["'])([\s\S]*)\1$/, "$2");
  return `${unquoted
    .replace(/\\r\\n|\\n|\\r/g, "\n")
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean)
    .join("\n")}\n`;
}

export const isPemPrivateKey = (pem: string): boolean => PEM.test(pem);

export const githubAppSchema = {
  /** The App's id (not its client id): the `iss` of every App JWT. */
  GITHUB_APP_ID: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, "must be the App's numeric id (its settings page's \"App ID\"), e.g. 123456")
    .transform(Number)
    .optional(),
  GITHUB_APP_PRIVATE_KEY: z
    .string()
    .transform(normalizePrivateKey)
    .refine(isPemPrivateKey, {
      message:
        'must be the App\'s PEM private key ("-----BEGIN RSA PRIVATE KEY-----" …), on one line with \\n for line breaks if need be',
    })
    .optional(),
  /** A file holding the PEM, for secret stores that mount files; read when the App is first used. */
  GITHUB_APP_PRIVATE_KEY_FILE: z.string().min(1).optional(),
  GITHUB_APP_WEBHOOK_SECRET: z.string().min(1).optional(),
  /** For user authorization through the App (a later step); both or neither. */
  GITHUB_APP_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_APP_CLIENT_SECRET: z.string().min(1).optional(),
  /** Where its installation link points (`<GITHUB_URL>/apps/<slug>/installations/new`); read from GitHub when unset. */
  GITHUB_APP_SLUG: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,33}$/, "must be the App's slug as in its URL /apps/<slug>, e.g. stageboard-acme")
    .optional(),
};

export interface GitHubAppSettings {
  GITHUB_APP_ID?: number;
  GITHUB_APP_PRIVATE_KEY?: string;
  GITHUB_APP_PRIVATE_KEY_FILE?: string;
  GITHUB_APP_WEBHOOK_SECRET?: string;
  GITHUB_APP_CLIENT_ID?: string;
  GITHUB_APP_CLIENT_SECRET?: string;
  GITHUB_APP_SLUG?: string;
}

const NAMES = [
  "GITHUB_APP_ID",
  "GITHUB_APP_PRIVATE_KEY",
  "GITHUB_APP_PRIVATE_KEY_FILE",
  "GITHUB_APP_WEBHOOK_SECRET",
  "GITHUB_APP_CLIENT_ID",
  "GITHUB_APP_CLIENT_SECRET",
  "GITHUB_APP_SLUG",
] as const;

/**
 * The one line a half-configured App stops start-up with, or null. An App is configured when any GITHUB_APP_*
 * is set; it then needs its id, exactly one source for its key and its webhook secret (without which no delivery
 * could be verified), and a client id only with its secret.
 */
export function githubAppConfigProblem(settings: GitHubAppSettings): string | null {
  const set = NAMES.filter((name) => settings[name] !== undefined);
  if (set.length === 0) return null;
  const prefix = `Invalid configuration: ${set.join(", ")} ${set.length > 1 ? "are" : "is"} set, so`;
  if (settings.GITHUB_APP_ID === undefined)
    return `${prefix} GITHUB_APP_ID is needed too (the App's numeric id, on its settings page)`;
  if (settings.GITHUB_APP_PRIVATE_KEY !== undefined && settings.GITHUB_APP_PRIVATE_KEY_FILE !== undefined)
    return "Invalid configuration: set GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE, not both";
  if (settings.GITHUB_APP_PRIVATE_KEY === undefined && settings.GITHUB_APP_PRIVATE_KEY_FILE === undefined)
    return `${prefix} GITHUB_APP_PRIVATE_KEY (the PEM) or GITHUB_APP_PRIVATE_KEY_FILE (a file holding it) is needed too`;
  if (settings.GITHUB_APP_WEBHOOK_SECRET === undefined)
    return `${prefix} GITHUB_APP_WEBHOOK_SECRET is needed too (the App's webhook secret; set one on its settings page if it has none)`;
  if ((settings.GITHUB_APP_CLIENT_ID === undefined) !== (settings.GITHUB_APP_CLIENT_SECRET === undefined))
    return "Invalid configuration: GITHUB_APP_CLIENT_ID and GITHUB_APP_CLIENT_SECRET go together; set both or neither";
  return null;
}
