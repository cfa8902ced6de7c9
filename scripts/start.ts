// npm start – Stageboard on one machine. With no configuration it brings up embedded PostgreSQL,
// the CodePipeline sandbox and the GitHub stand-in; whatever is configured replaces its stand-in.
// The app then runs from a production build (rebuilt only when sources changed); `--dev` runs
// `next dev` instead. Ctrl-C stops the app (it finishes in-flight writes), then the database.
import "dotenv/config";
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createInterface } from "node:readline";
import { existsSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { DEMO_APP } from "@/github-stand-in/app/app-options";
import { classifyInstance } from "@/lib/config/real-instance";
import { ConfigError } from "@/lib/config/schema";
import { resolveDatabase, type ResolvedDatabase } from "@/lib/server/db/resolve-database";
import { applyMigrations } from "@/lib/server/db/schema-engine";
import { findFreePort, isPortInUse } from "@/lib/server/net/free-port";
import { ensureProductionBuild } from "./start/build";
import { spawnServer, stopChild, type Child } from "./start/children";
import { readConfig, type Config } from "./start/config";
import { loadOrCreateSecrets } from "./start/secrets";

const dev = process.argv.includes("--dev");
const say = (line: string) => console.log(line);
const children: Child[] = [];
let database: ResolvedDatabase | undefined;

class StartError extends Error {}

const DEMO_USERS = `
Sign in on the GitHub stand-in as one of its demo users:
  ada       admin of acme/*, reads globex/*; a Stageboard administrator (also sees pipelines without a GitHub source)
            may approve web-app-prod; may not approve api-prod (her own commit), nor storefront-prod (reads globex)
  grace     writes globex/*, reads initech/*, cannot see acme/*; maintains the team globex/release-managers
            one of the two approvals storefront-prod (globex/storefront) needs
  margaret  writes globex/*; member of globex/release-managers; the other of storefront-prod's two approvals
  linus     reads acme/web-app only: sees web-app-prod's approval (his commit) without its buttons`;

/**
 * The demo's policy, unless one is configured: globex/storefront has two writers (grace, margaret) and needs both.
 * Self-approval is prevented by default, which is why ada may not approve api-prod, whose commits are hers.
 */
const DEMO_POLICY = JSON.stringify({ repositories: { "globex/storefront": { approvals: { requiredApprovals: 2 } } } });
let signInHint = "";

/** GITHUB_APP_* for the stand-in's fixed demo App (github-stand-in/app/app-options.ts), its key in `keyFile`. */
function demoAppEnv(keyFile: string): Record<string, string | undefined> {
  return {
    GITHUB_APP_ID: String(DEMO_APP.id),
    GITHUB_APP_PRIVATE_KEY_FILE: keyFile,
    GITHUB_APP_WEBHOOK_SECRET: DEMO_APP.webhookSecret ?? "",
    GITHUB_APP_CLIENT_ID: DEMO_APP.clientId,
    GITHUB_APP_CLIENT_SECRET: DEMO_APP.clientSecret,
    GITHUB_APP_SLUG: DEMO_APP.slug,
  };
}

async function checkReachable(url: string) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
  } catch (error) {
    const where = new URL(url);
    const reason = error instanceof Error ? ("code" in error && String(error.code)) || error.message : String(error);
    throw new StartError(
      `Cannot reach the database at ${where.hostname}:${where.port || 5432} (${reason}): check that PostgreSQL is running and DATABASE_URL is right, or unset DATABASE_URL to use the embedded database`,
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

const tsx = (script: string, args: string[]) => [process.execPath, ["--import", "tsx", script, ...args]] as const;

async function startSandbox(
  config: Config,
  eventsUrl: string,
  eventsSecret: string,
  githubUrl: string,
  env: NodeJS.ProcessEnv,
) {
  const [cmd, args] = tsx("sandbox/cli.ts", [
    // Its GitHub connections point at the GitHub Stageboard uses, so their pipelines map to its repositories.
    "--github-url",
    githubUrl,
    "--port",
    process.env.STAGEBOARD_SANDBOX_PORT ?? "0",
    "--pipelines",
    process.env.STAGEBOARD_SANDBOX_PIPELINES ?? "24",
    "--seed",
    process.env.STAGEBOARD_SANDBOX_SEED ?? "1",
    "--clock",
    process.env.STAGEBOARD_SANDBOX_CLOCK ?? "real",
    "--history-days",
    process.env.STAGEBOARD_SANDBOX_HISTORY_DAYS ?? "90",
    "--state-file",
    `${config.STAGEBOARD_DATA_DIR}/sandbox-state.json`,
    "--events-url",
    eventsUrl,
    "--events-header",
    config.EVENTS_HEADER,
  ]);
  return spawnServer("CodePipeline sandbox", cmd, [...args], { ...env, SANDBOX_EVENTS_SECRET: eventsSecret });
}

async function startStandIn(
  port: number,
  sandboxUrl: string | undefined,
  appKeyFile: string,
  webhookUrl: string | null,
  env: NodeJS.ProcessEnv,
) {
  const [cmd, args] = tsx("github-stand-in/cli.ts", [
    "--port",
    String(port),
    // Its demo GitHub App, installed on acme and globex; the key is generated into the data folder once.
    "--demo-app",
    appKeyFile,
    // Deliveries sent before the app listens fail, as GitHub's would; the app redelivers them from the log.
    ...(webhookUrl ? ["--demo-app-webhook-url", webhookUrl] : []),
    // The sandbox's repositories and the commits its pipelines deliver, so both doubles tell the same story.
    ...(sandboxUrl
      ? [
          "--repositories-from",
          `${sandboxUrl}/_sandbox/repositories`,
          "--commits-from",
          `${sandboxUrl}/_sandbox/commits`,
        ]
      : []),
  ]);
  return spawnServer("GitHub stand-in", cmd, [...args], env);
}

/** The demo's one public repository: its badges show to anyone, without a key (README "Badges"). */
const PUBLIC_DEMO_REPOSITORY = "acme/web-app";

async function publishDemoRepository(standInUrl: string) {
  const response = await fetch(`${standInUrl}/_stand-in/repositories`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ repositories: [PUBLIC_DEMO_REPOSITORY], public: true }),
    signal: AbortSignal.timeout(10_000),
  }).catch(() => null);
  if (!response?.ok) say(`GitHub stand-in: ${PUBLIC_DEMO_REPOSITORY} stays private; its badges need their key`);
}

async function waitForApp(url: string, app: Child) {
  for (let i = 0; i < 600; i++) {
    if (app.process.exitCode !== null)
      throw new StartError(`The app exited during start-up (code ${app.process.exitCode})`);
    const ok = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new StartError("The app did not answer within 2 minutes");
}

async function shutdown(code: number) {
  for (const child of children.reverse()) await child.stop();
  await database?.stop();
  process.exit(code);
}

async function main() {
  // A real instance without a GitHub OAuth App or its own secrets stops here with one line.
  const config = readConfig(process.env, "launcher");
  if (await isPortInUse(config.PORT, config.HOST)) {
    throw new StartError(
      `Port ${config.PORT} is already in use: stop what is using it or choose another, e.g. PORT=${config.PORT + 1} npm start`,
    );
  }

  const dataDir = config.STAGEBOARD_DATA_DIR;
  if (config.DATABASE_URL) await checkReachable(config.DATABASE_URL);
  database = await resolveDatabase({
    databaseUrl: config.DATABASE_URL,
    dataDir,
    port: Number(process.env.STAGEBOARD_POSTGRES_PORT) || undefined,
  });
  const applied = await applyMigrations(database.url);
  say(applied.length ? `Database: applied ${applied.length} migration(s)` : "Database: up to date");

  // Generated secrets live in one data folder: fine for the quick start and a demo, refused (above)
  // for a real instance, whose NEXTAUTH_SECRET and TOKEN_ENCRYPTION_KEY are configured.
  const secrets = classifyInstance(config).kind === "real" ? null : loadOrCreateSecrets(dataDir);
  const appUrl = config.NEXTAUTH_URL ?? `http://localhost:${config.PORT}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NEXTAUTH_URL: appUrl,
    NEXTAUTH_SECRET: config.NEXTAUTH_SECRET ?? secrets?.nextAuthSecret,
    TOKEN_ENCRYPTION_KEY: config.TOKEN_ENCRYPTION_KEY ?? secrets?.tokenEncryptionKey,
    NEXT_TELEMETRY_DISABLED: "1",
    NEXT_MANUAL_SIG_HANDLE: "true",
  };

  const awsConfigured = Boolean(config.STAGEBOARD_TARGETS ?? config.AWS_REGION);
  // The stand-in's port is chosen first: the sandbox is told where its GitHub is before the stand-in starts.
  const standInPort = config.GITHUB_CLIENT_ID
    ? null
    : Number(process.env.STAGEBOARD_GITHUB_PORT) || (await findFreePort());
  const githubUrl = standInPort === null ? config.GITHUB_URL : `http://127.0.0.1:${standInPort}`;
  let sandboxUrl: string | undefined;
  if (!awsConfigured) {
    // It only links the sandbox started here to this app, so on a real instance one for this start will do.
    const eventsSecret = config.EVENTS_SECRET ?? secrets?.eventsSecret ?? randomBytes(24).toString("base64url");
    const sandbox = await startSandbox(
      config,
      `${appUrl}/api/events/codepipeline`,
      eventsSecret,
      githubUrl,
      process.env,
    );
    children.push(sandbox);
    sandboxUrl = sandbox.url;
    // A fixed target id: the sandbox's port changes between starts, its pipelines do not. As a least-privilege
    // instance would, the sync engine assumes the sandbox's read-only role and commands its control role.
    const target = {
      id: "sandbox",
      accountId: "111122223333",
      region: "us-east-1",
      endpoint: sandbox.url,
      roleArn: "arn:aws:iam::111122223333:role/StageboardRead",
      controlRoleArn: "arn:aws:iam::111122223333:role/StageboardControl",
    };
    Object.assign(env, {
      STAGEBOARD_TARGETS: JSON.stringify([target]),
      AWS_ACCESS_KEY_ID: "sandbox",
      AWS_SECRET_ACCESS_KEY: "sandbox",
      EVENTS_SECRET: eventsSecret,
      // The demo's notification webhooks may point at a receiver on this machine (README "Notifications").
      NOTIFY_ALLOW_PRIVATE_URLS: process.env.NOTIFY_ALLOW_PRIVATE_URLS ?? "true",
    });
    say(`CodePipeline sandbox: listening on ${new URL(sandbox.url).host}`);
  }
  if (standInPort !== null) {
    const appKeyFile = path.resolve(dataDir, "github-app-demo.pem");
    // Only when Stageboard is the demo App (holds its webhook secret). The stand-in runs on this machine, so it posts
    // to the address the app listens on, the one start-up waits for, rather than a public URL behind a proxy.
    const webhookUrl = process.env.GITHUB_APP_ID ? null : `http://127.0.0.1:${config.PORT}/api/github/webhooks`;
    const standIn = await startStandIn(standInPort, sandboxUrl, appKeyFile, webhookUrl, process.env);
    children.push(standIn);
    await publishDemoRepository(standIn.url);
    Object.assign(env, {
      GITHUB_URL: standIn.url,
      GITHUB_API_URL: `${standIn.url}/api/v3`,
      // The stand-in plays github.com: the demo fleet's GitHub (version 1) sources map to its repositories.
      GITHUB_COM_STAND_IN_URL: standIn.url,
      GITHUB_CLIENT_ID: "stageboard-dev",
      GITHUB_CLIENT_SECRET: "stageboard-dev-secret",
      STAGEBOARD_ADMINS: config.STAGEBOARD_ADMINS.length ? config.STAGEBOARD_ADMINS.join(",") : "ada",
      ...(sandboxUrl ? { STAGEBOARD_POLICY: process.env.STAGEBOARD_POLICY || DEMO_POLICY } : {}),
      // Stageboard is the stand-in's demo App, so the setup page shows a configured App with no steps.
      ...(process.env.GITHUB_APP_ID ? {} : demoAppEnv(appKeyFile)),
    });
    say(`GitHub stand-in: listening on ${new URL(standIn.url).host}`);
    signInHint = DEMO_USERS;
  }

  if (dev || !existsSync("lib/generated/prisma/client.ts"))
    spawnSync(process.execPath, ["scripts/db/generate.mjs"], { stdio: "ignore", env });
  if (!dev) await ensureProductionBuild({ ...env, NODE_ENV: "production" }, dataDir, say);
  const nextArgs = dev
    ? ["dev", "-p", String(config.PORT), "-H", config.HOST]
    : ["start", "-p", String(config.PORT), "-H", config.HOST];
  const nextProcess = spawn(process.execPath, ["node_modules/next/dist/bin/next", ...nextArgs], {
    env: { ...env, NODE_ENV: dev ? "development" : "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  // Next names the address it binds to (127.0.0.1); a person must open the public one alone, since
  // sign-in works only there, so Next's own address lines are left out.
  createInterface({ input: nextProcess.stdout }).on("line", (line) => {
    if (!/^\s*-\s+(Local|Network):/.test(line)) console.log(line);
  });
  const app: Child = { name: "app", process: nextProcess, stop: (t) => stopChild(nextProcess, t) };
  children.push(app);
  nextProcess.once("exit", (code) => {
    if (!stopping) {
      console.error(`The app stopped unexpectedly (code ${code}); shutting down.`);
      void shutdown(1);
    }
  });
  await waitForApp(`http://127.0.0.1:${config.PORT}`, app);
  say(`\nStageboard is running: open ${appUrl}${signInHint}\n`);
}

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    say(`\nStopping Stageboard…`);
    void shutdown(0);
  });
}

main().catch(async (error: unknown) => {
  stopping = true;
  const known = error instanceof ConfigError || error instanceof StartError;
  console.error(
    known ? error.message : `Stageboard could not start: ${error instanceof Error ? error.message : String(error)}`,
  );
  for (const child of children.reverse()) await child.stop(5_000);
  await database?.stop();
  process.exit(1);
});
