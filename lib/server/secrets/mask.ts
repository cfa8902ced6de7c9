import "server-only";
import { env } from "@/lib/env";

// The one rule for "does this look like a secret": reading a repository on GitHub does not imply
// access to AWS, so a value a pipeline carries (a variable's default, an execution's resolved
// variables, an action's output variables, and whatever later features store from AWS or people)
// is masked before it is stored or shown whenever its name or the value itself looks secret.
// The rule errs on the side of masking: a needlessly hidden value costs a look in the AWS console,
// a shown secret cannot be taken back.

/** What a masked value becomes, stored and shown. */
export const MASKED = "[redacted]";

/** Operator additions: names to mask (SECRET_NAME_PATTERNS) and names never masked by name (SECRET_NAME_ALLOW). */
export interface SecretRules {
  /** Globs (`*` is any run of characters), matched case-insensitively against the whole name. */
  patterns: readonly string[];
  allow: readonly string[];
}

// Substrings that make a name secret wherever they appear, glued or not: GITHUB_TOKEN, ClientSecret,
// DbPassword, passwd, x-api-key, apikey, privatekey, AWS_SECRET_ACCESS_KEY, credentials.
const SECRET_SUBSTRING =
  /token|secret|passw|passphrase|credential|api[-_.]?key|private[-_.]?key|access[-_.]?key|signing[-_.]?key|auth[-_.]?key/i;

// Whole words that make a name secret: DB_PASS, DB_PWD, BASIC_AUTH, Authorization, SESSION_COOKIE, SENTRY_DSN.
const SECRET_WORDS = new Set(["pass", "pwd", "auth", "oauth", "authorization", "bearer", "cookie", "dsn", "salt"]);

// A word KEY (or KEYS) masks, unless the word right before it names a kind of key that is not key
// material. The list is short on purpose: an unknown `<word>_KEY` (SSH_KEY, LICENSE_KEY, MASTER_KEY,
// ENCRYPTION_KEY, and KEY alone) is masked.
const BENIGN_KEY_WORDS = new Set([
  "cache",
  "partition",
  "sort",
  "primary",
  "foreign",
  "object",
  "s3",
  "routing",
  "idempotency",
  "hash",
  "range",
  "deduplication",
  "public",
  "kms",
  "lookup",
  "index",
  "shard",
]);

/** Words of a name: split at `_ - . / :` and spaces, and at camelCase (S3ObjectKey -> s3 object key). */
function wordsOf(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

function globMatcher(globs: readonly string[]): RegExp | null {
  if (globs.length === 0) return null;
  const alternatives = globs.map((glob) =>
    glob
      .split("*")
      .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*"),
  );
  return new RegExp(`^(?:${alternatives.join("|")})$`, "i");
}

// Values that are secrets whatever they are called. Each pattern is linear (no nested quantifiers),
// and every value it is tried on is bounded by the AWS boundary (lib/server/aws/text.ts).
const SECRET_VALUES: readonly RegExp[] = [
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/, // AWS access key id (long-term, temporary)
  /\bgh[pousr]_[A-Za-z0-9]{30,}/, // GitHub personal, OAuth, user-to-server, server-to-server, refresh tokens
  /\bgithub_pat_[A-Za-z0-9_]{30,}/, // GitHub fine-grained personal access token
  /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----/, // PEM private keys (RSA, EC, OPENSSH, ENCRYPTED, …)
  /\bglpat-[A-Za-z0-9_-]{20,}/, // GitLab personal access token
  /\bxox[abposr]-[A-Za-z0-9-]{10,}/, // Slack tokens
  /\bnpm_[A-Za-z0-9]{36}\b/, // npm tokens
  /\b[rs]k_live_[A-Za-z0-9]{16,}/, // Stripe live keys
  /\bAIza[0-9A-Za-z_-]{35}/, // Google API keys
  /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/, // JSON Web Tokens
  /\b(?:Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{16,}/, // Authorization header values
  /\b[a-z][a-z0-9+.-]*:\/\/[^\s/?#@:]*:[^\s/?#@]+@/i, // URLs with a password (postgres://user:pw@host)
];

/** True when a value looks like a credential whatever its name. */
export function valueLooksSecret(value: string): boolean {
  return SECRET_VALUES.some((pattern) => pattern.test(value));
}

function compile(rules: SecretRules) {
  const extra = globMatcher(rules.patterns);
  const allow = globMatcher(rules.allow);
  return (name: string): boolean => {
    if (allow?.test(name)) return false;
    if (SECRET_SUBSTRING.test(name) || extra?.test(name)) return true;
    const words = wordsOf(name);
    return words.some(
      (word, i) =>
        SECRET_WORDS.has(word) || ((word === "key" || word === "keys") && !BENIGN_KEY_WORDS.has(words[i - 1] ?? "")),
    );
  };
}

const compiled = new WeakMap<SecretRules, (name: string) => boolean>();
let configured: SecretRules | undefined;

/** The rules of this instance (SECRET_NAME_PATTERNS, SECRET_NAME_ALLOW), read once. */
export function configuredSecretRules(): SecretRules {
  configured ??= { patterns: env.SECRET_NAME_PATTERNS, allow: env.SECRET_NAME_ALLOW };
  return configured;
}

/**
 * True when a name says its value is secret (see the rules above and SecretRules). SECRET_NAME_ALLOW
 * exempts a name from this name rule only: a value that looks secret is masked whatever its name.
 */
export function nameLooksSecret(name: string, rules: SecretRules = configuredSecretRules()): boolean {
  let test = compiled.get(rules);
  if (!test) {
    test = compile(rules);
    compiled.set(rules, test);
  }
  return test(name);
}

/** The value as it may be stored and shown: MASKED when its name or the value itself looks secret. */
export function maskValue(name: string, value: string, rules?: SecretRules): string;
export function maskValue(name: string, value: string | null, rules?: SecretRules): string | null;
export function maskValue(name: string, value: string | null, rules?: SecretRules): string | null {
  if (value === null || value === "") return value;
  return nameLooksSecret(name, rules) || valueLooksSecret(value) ? MASKED : value;
}

/** A name → value map (action output variables, form fields, audit parameters) with secrets masked. */
export function maskEntries(entries: Record<string, string>, rules?: SecretRules): Record<string, string> {
  return Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, maskValue(name, value, rules)]));
}
