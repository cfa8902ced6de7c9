import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { StandInAppOptions } from "./app/app-options";
import { DEMO_APP } from "./app/app-options";
import { parseAppOptions } from "./app/app-options-json";
import { startGitHubStandIn } from "./index";

const USAGE =
  "usage: github-stand-in --port <p> [--repositories a/b,c/d] [--repositories-from <url>] [--commits-from <url>] [--host <h>] [--public-url <url>] [--app-from <json file>] [--demo-app <private key file>] [--demo-app-webhook-url <url>]";

function fail(message: string): never {
  process.stderr.write(`${message}\n${USAGE}\n`);
  process.exit(2);
}

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    const name = argv[i];
    const value = argv[i + 1];
    if (!name?.startsWith("--") || value === undefined) fail(`unexpected argument: ${name ?? ""}`);
    args.set(name.slice(2), value);
  }
  return args;
}

/** Reads {"repositories":[...]} from another local service, e.g. the CodePipeline sandbox. */
async function fetchRepositories(source: string): Promise<string[]> {
  const response = await fetch(source, {
    headers: { accept: "application/json" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) fail(`--repositories-from: ${source} answered ${response.status}`);
  const body: unknown = await response.json();
  const list = typeof body === "object" && body !== null && "repositories" in body ? body.repositories : undefined;
  if (!Array.isArray(list) || !list.every((r): r is string => typeof r === "string")) {
    fail(`--repositories-from: ${source} did not return {"repositories":[...]}`);
  }
  return list;
}

/**
 * Apps from a JSON file (one App or a list, as StandInAppOptions); a relative privateKeyFile is taken from the
 * file's own folder, so the key lands beside the configuration that names it.
 */
function readApps(file: string): StandInAppOptions[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch {
    fail(`--app-from: ${file} is not readable JSON`);
  }
  return (Array.isArray(parsed) ? parsed : [parsed]).map((entry) => {
    const checked = parseAppOptions(entry);
    if (checked.kind === "invalid") fail(`--app-from: ${checked.reason}`);
    const keyFile = checked.value.privateKeyFile;
    return keyFile ? { ...checked.value, privateKeyFile: resolve(dirname(file), keyFile) } : checked.value;
  });
}

function isWebUrl(value: string): boolean {
  try {
    return ["http:", "https:"].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const portText = args.get("port") ?? "0";
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) fail("--port must be 0-65535");
  const repositories = [
    ...(args
      .get("repositories")
      ?.split(",")
      .map((r) => r.trim())
      .filter(Boolean) ?? []),
    ...(args.has("repositories-from") ? await fetchRepositories(args.get("repositories-from") ?? "") : []),
  ];
  const webhookUrl = args.get("demo-app-webhook-url");
  if (webhookUrl !== undefined && !isWebUrl(webhookUrl)) fail("--demo-app-webhook-url must be an http(s) URL");
  if (webhookUrl !== undefined && !args.has("demo-app")) fail("--demo-app-webhook-url needs --demo-app");
  const demoApp = { ...DEMO_APP, privateKeyFile: resolve(args.get("demo-app") ?? ""), webhookUrl: webhookUrl ?? null };
  const apps = [
    ...(args.has("app-from") ? readApps(args.get("app-from") ?? "") : []),
    ...(args.has("demo-app") ? [demoApp] : []),
  ];
  const running = await startGitHubStandIn({
    port: Number(portText),
    host: args.get("host"),
    publicUrl: args.get("public-url"),
    repositories,
    commitsFrom: args.get("commits-from"),
    apps,
  }).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));

  process.stdout.write(`listening on ${running.url}\n`);
  // Asked of the running server, so what is printed is exactly what the consent page shows.
  const users = (await (await fetch(`${running.url}/_stand-in/users`)).json()) as {
    login: string;
    name: string;
    reach: string;
  }[];
  for (const user of users) process.stdout.write(`  ${user.login} (${user.name}): ${user.reach}\n`);
  // Ids only: the private key stays in its file and the secrets in the configuration.
  for (const app of running.apps) {
    const where = app.installations.map((i) => `${i.account} (installation ${i.id})`).join(", ") || "not installed";
    process.stdout.write(`  app ${app.slug} (id ${app.id}, client id ${app.clientId}): ${where}\n`);
  }

  const shutdown = () => {
    running.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

void main();
