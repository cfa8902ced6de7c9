// The production build of the app as a child process against the benchmark database, so the
// bench times what a browser waits for: session lookup, data, React rendering and HTTP.
import { spawn, spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { findFreePort } from "@/lib/server/net/free-port";

export interface AppServerOptions {
  /**
   * A GitHub stand-in to sign in and ask permissions at (its origin; REST under /api/v3), playing github.com
   * so GitHub version 1 sources map to its repositories. Without it GitHub is a dead port.
   */
  github?: { url: string; clientId: string; clientSecret: string };
  /** More environment for the app, applied last (targets, policy, sync settings). */
  env?: Record<string, string>;
}

export interface AppServer {
  url: string;
  /** The last lines the server printed, for error messages. */
  output(): string;
  stop(): Promise<void>;
  /** SIGKILL at once, for a bench exiting on an error or a signal (nothing awaited). */
  kill(): void;
}

/** What `npm start` gives the app, minus GitHub and AWS unless `options` bring them. */
function appEnv(databaseUrl: string, url: string, port: number, options: AppServerOptions): NodeJS.ProcessEnv {
  const github = options.github;
  return {
    ...process.env,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    NEXTAUTH_URL: url,
    NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    // Never contacted without `options.github`: the bench user's repository list is dated in the future.
    GITHUB_URL: "http://127.0.0.1:9",
    GITHUB_API_URL: "http://127.0.0.1:9/api/v3",
    GITHUB_CLIENT_ID: "stageboard-bench",
    GITHUB_CLIENT_SECRET: "stageboard-bench-secret",
    SYNC_IN_APP: "false",
    NEXT_MANUAL_SIG_HANDLE: "true",
    NEXT_TELEMETRY_DISABLED: "1",
    LOG_LEVEL: "warn",
    // One bench user times hundreds of page loads a minute: counted as usual (the cost is part of every
    // request), never refused.
    RATE_LIMIT_USER_PER_MINUTE: "1000000",
    RATE_LIMIT_IP_PER_MINUTE: "1000000",
    PORT: String(port),
    ...(github
      ? {
          GITHUB_URL: github.url,
          GITHUB_API_URL: `${github.url}/api/v3`,
          GITHUB_COM_STAND_IN_URL: github.url,
          GITHUB_CLIENT_ID: github.clientId,
          GITHUB_CLIENT_SECRET: github.clientSecret,
        }
      : {}),
    ...options.env,
  };
}

/** `next build` once when there is no production build (the bench measures what exists otherwise). */
function ensureBuild(env: NodeJS.ProcessEnv, say: (line: string) => void) {
  if (existsSync(".next/BUILD_ID")) return;
  say("no production build in .next: running `next build` (a minute or two)…");
  const generated = spawnSync(process.execPath, ["scripts/db/generate.mjs"], { env, stdio: "inherit" });
  const built =
    generated.status === 0 &&
    spawnSync(process.execPath, ["node_modules/next/dist/bin/next", "build"], { env, stdio: "inherit" });
  if (!built || built.status !== 0) throw new Error("`next build` failed; run `npm run build` to see why");
}

export async function startAppServer(
  databaseUrl: string,
  say: (line: string) => void,
  options: AppServerOptions = {},
): Promise<AppServer> {
  const port = await findFreePort();
  const url = `http://127.0.0.1:${port}`;
  const env = appEnv(databaseUrl, url, port, options);
  ensureBuild(env, say);
  const child = spawn(
    process.execPath,
    ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
    { env, stdio: ["ignore", "pipe", "pipe"] },
  );
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-4000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  for (let i = 0; i < 600; i++) {
    if (child.exitCode !== null) throw new Error(`the app exited during start-up (code ${child.exitCode}):\n${tail}`);
    // Any answer means it serves; a stale sync target may make health say 503 here, which is fine.
    const ok = await fetch(`${url}/api/health`).then(
      () => true,
      () => false,
    );
    if (ok) return { url, output: () => tail, stop, kill: () => void child.kill("SIGKILL") };
    await new Promise((r) => setTimeout(r, 200));
  }
  await stop();
  throw new Error(`the app did not answer /api/health within 2 minutes:\n${tail}`);
}
