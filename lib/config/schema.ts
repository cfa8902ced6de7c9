import { isIP } from "node:net";
import { z } from "zod";
import { instancePolicySchema } from "./policy";

// The whole configuration surface, validated once. Each field's message names what is wrong and
// shows a working example, because it is printed as the single line a failed start-up ends with.

const AWS_REGION =
  /^(?:(?:us|eu|ap|sa|ca|me|af|il|mx)-(?:east|west|south|north|central|northeast|southeast|northwest|southwest)|cn-(?:north|northwest)|us-gov-(?:east|west)|us-iso[bef]?-(?:east|west))-\d{1,2}$/;

const url = (example: string) =>
  z.string().refine((value) => /^https?:\/\/[^\s/]+/.test(value) && URL.canParse(value), {
    message: `must be an http(s) URL, e.g. ${example}`,
  });

const int = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);

const GITHUB_NAME = "[A-Za-z0-9][A-Za-z0-9_.-]{0,98}";
const ADMIN_ENTRY = new RegExp(
  `^(?:id:[1-9]\\d{0,18}|org:${GITHUB_NAME}|team:${GITHUB_NAME}/${GITHUB_NAME}|${GITHUB_NAME})$`,
);
const isAdminEntry = (entry: string) =>
  ADMIN_ENTRY.test(entry) && (!entry.startsWith("id:") || BigInt(entry.slice(3)) <= 9_223_372_036_854_775_807n);

const commaList = (raw: string) =>
  raw
    .split(",")
    .map((entry) => entry.trim())
    .filter(Boolean);

const nameGlobs = z
  .string()
  .default("")
  .transform(commaList)
  .refine((globs) => globs.every((glob) => /^[A-Za-z0-9_.*-]{1,128}$/.test(glob)), {
    message: "must be a comma-separated list of names with * as a wildcard, e.g. *_PIN,DEPLOY_HOOK",
  });

export const targetSchema = z.object({
  id: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,64}$/)
    .optional(),
  accountId: z
    .string()
    .regex(/^\d{12}$/, "accountId must be 12 digits")
    .optional(),
  region: z.string().regex(AWS_REGION, "region must be an AWS region such as us-east-1"),
  roleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "roleArn must be an IAM role ARN")
    .optional(),
  externalId: z.string().optional(),
  /** Assumed for commands (approvals, retries, transitions…) so `roleArn`, the sync engine's, stays read-only. */
  controlRoleArn: z
    .string()
    .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/, "controlRoleArn must be an IAM role ARN")
    .optional(),
  endpoint: url("http://127.0.0.1:4599").optional(),
  /** Where roles are assumed; defaults to `endpoint` (the sandbox serves STS), else AWS's regional STS. */
  stsEndpoint: url("https://sts.us-east-1.amazonaws.com").optional(),
  /** Where connections are listed when `endpoint` serves CodePipeline only (a VPC endpoint); defaults to `endpoint`. */
  connectionsEndpoint: url("https://codestar-connections.us-east-1.amazonaws.com").optional(),
});
export type TargetConfig = z.infer<typeof targetSchema>;

const targetsJson = z.string().transform((raw, ctx) => {
  try {
    const parsed = z.array(targetSchema).min(1).safeParse(JSON.parse(raw));
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: `${parsed.error.issues[0]?.message ?? "is invalid"}` });
  } catch {
    ctx.addIssue({ code: "custom", message: "must be JSON" });
  }
  return z.NEVER;
});

export const serverSchema = {
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: int(1, 65535, 3000),
  HOST: z.string().min(1).default("127.0.0.1"),
  /** Proxies whose X-Forwarded-For is believed (lib/server/rate-limit/client-ip.ts); unset: none. */
  TRUSTED_PROXIES: z
    .string()
    .default("")
    .transform((raw) =>
      raw
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    .refine(
      (entries) =>
        entries.every((entry) => {
          const [address = "", bits, ...rest] = entry.split("/");
          const family = isIP(address);
          if (!family || rest.length > 0) return false;
          return bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
        }),
      { message: "must be a comma-separated list of IP addresses or CIDR ranges, e.g. 10.0.0.0/8,192.0.2.7" },
    ),
  /** Requests per minute; 0 turns that limit off (lib/server/rate-limit/budgets.ts). */
  RATE_LIMIT_USER_PER_MINUTE: int(0, 1_000_000, 1_200),
  RATE_LIMIT_IP_PER_MINUTE: int(0, 1_000_000, 6_000),
  RATE_LIMIT_EVENTS_PER_MINUTE: int(0, 1_000_000, 6_000),
  DATABASE_URL: z
    .string()
    .refine((value) => /^postgres(ql)?:\/\//.test(value) && URL.canParse(value), {
      message: "must be a postgres:// or postgresql:// URL, e.g. postgresql://user:password@localhost:5432/stageboard",
    })
    .optional(),
  /** Unset: the sync engine's concurrency + 10 when it runs in this process, else 10 (lib/server/db/client.ts). */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).optional(),
  /** Longest wait for a pooled connection (opening one included) before a query fails. */
  DATABASE_CONNECT_TIMEOUT_MS: int(100, 60_000, 3_000),
  /** Longest a statement may run (the server cancels it); a server that stops answering fails 1 s later. */
  DATABASE_STATEMENT_TIMEOUT_MS: int(100, 3_600_000, 3_000),
  STAGEBOARD_DATA_DIR: z.string().min(1).default(".data"),
  NEXTAUTH_URL: url("https://stageboard.example.com").optional(),
  NEXTAUTH_SECRET: z
    .string()
    .min(32, "must be at least 32 characters, e.g. the output of `openssl rand -base64 32`")
    .optional(),
  TOKEN_ENCRYPTION_KEY: z
    .string()
    .refine((value) => Buffer.from(value, "base64").length === 32, {
      message: "must be 32 bytes in base64, e.g. the output of `openssl rand -base64 32`",
    })
    .optional(),
  /** Keys TOKEN_ENCRYPTION_KEY replaced: they still decrypt, never encrypt (see lib/server/auth/token-crypto.ts). */
  TOKEN_ENCRYPTION_PREVIOUS_KEYS: z
    .string()
    .default("")
    .transform(commaList)
    .refine((keys) => keys.every((key) => Buffer.from(key, "base64").length === 32), {
      message: "must be a comma-separated list of 32-byte base64 keys, e.g. the TOKEN_ENCRYPTION_KEY used before",
    }),
  /** A demo on purpose: a real instance may then use the GitHub stand-in and generated secrets. */
  STAGEBOARD_DEMO: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  /** Extra variable names whose values are masked, and names never masked by name (lib/server/secrets/mask.ts). */
  SECRET_NAME_PATTERNS: nameGlobs,
  SECRET_NAME_ALLOW: nameGlobs,
  GITHUB_URL: url("https://github.com or https://github.example.com").default("https://github.com"),
  GITHUB_API_URL: url("https://api.github.com or https://github.example.com/api/v3").optional(),
  /**
   * The local GitHub stand-in that plays github.com (`npm start` sets it to the one it runs): GitHub version 1
   * sources always mean github.com, so they map only when GITHUB_URL is github.com or this URL. Loopback only.
   */
  GITHUB_COM_STAND_IN_URL: z
    .string()
    .refine((value) => URL.canParse(value) && /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\/?$/.test(value), {
      message: "must be the loopback URL of the local GitHub stand-in, e.g. http://127.0.0.1:4600",
    })
    .optional(),
  GITHUB_CLIENT_ID: z.string().min(1).optional(),
  GITHUB_CLIENT_SECRET: z.string().min(1).optional(),
  STAGEBOARD_ADMINS: z
    .string()
    .default("")
    .transform((raw) =>
      raw
        .split(",")
        .map((entry) => entry.trim())
        .filter(Boolean),
    )
    // Matched on GitHub account ids (lib/server/auth/admins.ts): `id:` names one, a login is pinned to
    // the account it first resolves to.
    .refine((entries) => entries.every(isAdminEntry), {
      message:
        "must be a comma-separated list of logins, id:<account id>, org:<org> or team:<org>/<team>, e.g. id:583231,org:acme",
    }),
  REPOSITORY_CACHE_TTL_SECONDS: int(10, 86_400, 300),
  /** Absolute session lifetime from sign-in, besides the sliding 7 days of inactivity. */
  SESSION_MAX_AGE_DAYS: int(1, 365, 30),
  AWS_REGION: z.string().regex(AWS_REGION, "must be an AWS region such as us-east-1").optional(),
  CODEPIPELINE_ENDPOINT: url("http://127.0.0.1:4599").optional(),
  STAGEBOARD_TARGETS: targetsJson.optional(),
  SYNC_IN_APP: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  SYNC_ACTIVE_INTERVAL_MS: int(500, 3_600_000, 5_000),
  SYNC_IDLE_INTERVAL_MS: int(1_000, 86_400_000, 300_000),
  SYNC_RECONCILE_INTERVAL_MS: int(1_000, 86_400_000, 1_800_000),
  SYNC_REQUESTS_PER_SECOND: z.coerce.number().positive().max(1000).default(5),
  SYNC_RETENTION_DAYS: z.coerce.number().int().positive().optional(),
  /** false behind PgBouncer in transaction mode or RDS Proxy, where LISTEN cannot work: the feed is polled. */
  CHANGE_FEED_LISTEN: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("true")
    .transform((v) => v === "true"),
  /** Change feed polling interval: always when CHANGE_FEED_LISTEN=false, else while LISTEN is reconnecting. */
  CHANGE_FEED_POLL_MS: int(50, 60_000, 1_000),
  /** Feed rows are pruned once this old and passed by every durable consumer. */
  CHANGE_FEED_RETENTION_HOURS: int(1, 8_760, 24),
  /** A durable feed consumer that has not read for this long is deleted instead of holding the log. */
  CHANGE_FEED_CONSUMER_EXPIRY_HOURS: int(1, 87_600, 168),
  /** Lets notification webhooks reach private and loopback addresses (plain http only to those); off: public https only. */
  NOTIFY_ALLOW_PRIVATE_URLS: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  EVENTS_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  EVENTS_HEADER: z
    .string()
    .regex(/^[a-zA-Z0-9-]+$/)
    .default("x-stageboard-events-secret"),
  /** Approval and command policy defaults (JSON, lib/config/policy.ts); the settings page overrides them. */
  STAGEBOARD_POLICY: z
    .string()
    .default("{}")
    .transform((raw, ctx) => {
      try {
        const parsed = instancePolicySchema.safeParse(JSON.parse(raw));
        if (parsed.success) return parsed.data;
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
        ctx.addIssue({
          code: "custom",
          message: `is invalid at ${where}${issue?.message ?? "unknown field"}, e.g. {"approvals":{"minPermission":"write","requiredApprovals":2}}`,
        });
      } catch {
        ctx.addIssue({ code: "custom", message: 'must be JSON, e.g. {"approvals":{"minPermission":"maintain"}}' });
      }
      return z.NEVER;
    }),
  /** true: no approval or control command is accepted (403), and no page offers one. */
  STAGEBOARD_READ_ONLY: z
    .enum(["true", "false"], { message: "must be true or false" })
    .default("false")
    .transform((v) => v === "true"),
  /** The audit log's own retention, apart from SYNC_RETENTION_DAYS and every other prune. */
  AUDIT_RETENTION_DAYS: int(1, 36_500, 400),
  /** Approval decisions and control commands each person may send per minute (0: no limit). */
  RATE_LIMIT_COMMANDS_PER_MINUTE: int(0, 1_000_000, 60),
  /**
   * Content-creating GitHub requests (check runs, statuses, deployments) write-back makes per App installation, per
   * minute and per hour, over every process: GitHub's secondary limits are 80 and 500.
   */
  WRITEBACK_CONTENT_PER_MINUTE: int(1, 1_000_000, 80),
  WRITEBACK_CONTENT_PER_HOUR: int(1, 10_000_000, 500),
  /** `Authorization: Bearer <HEALTH_TOKEN>` shows GET /api/health's details (administrators see them signed in). */
  HEALTH_TOKEN: z
    .string()
    .min(16, "must be at least 16 characters, e.g. the output of `openssl rand -hex 24`")
    .optional(),
};

/** One line for a failed field: `NAME must be ... (got "value")`, secrets never echoed. */
export function describeIssue(name: string, message: string, value: string | undefined): string {
  const secret = /SECRET|KEY|PASSWORD|TOKEN/.test(name) || name === "DATABASE_URL";
  const shown = value === undefined || secret ? "" : ` (got "${value.slice(0, 80)}")`;
  const text = /^(must|is) /.test(message) ? message : `is invalid: ${message}`;
  return `Invalid configuration: ${name} ${text}${shown}`;
}

export class ConfigError extends Error {
  override name = "ConfigError";
}
