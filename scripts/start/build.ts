import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

const INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.mjs",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
  "prisma/schema.prisma",
];
const SKIP = new Set(["node_modules", "generated", ".next"]);
const STAMP = ".next/stageboard-build-inputs";

function walk(entry: string, hash: ReturnType<typeof createHash>) {
  if (!existsSync(entry)) return;
  const stat = statSync(entry);
  if (stat.isDirectory()) {
    for (const name of readdirSync(entry).sort())
      if (!SKIP.has(name) && !name.endsWith(".test.ts")) walk(path.join(entry, name), hash);
  } else {
    hash.update(entry).update(readFileSync(entry));
  }
}

/** A digest of everything the production build depends on: unchanged sources mean no rebuild. */
export function buildInputsDigest(): string {
  const hash = createHash("sha256");
  for (const input of INPUTS) walk(input, hash);
  return hash.digest("hex");
}

export function run(command: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.on("error", reject);
    child.on("exit", (code) => {
      log.end();
      if (code === 0) resolve();
      else
        reject(
          new Error(
            `\`${[command, ...args].join(" ")}\` failed (exit ${code}); see ${logFile}\n${readFileSync(logFile, "utf8").slice(-2000)}`,
          ),
        );
    });
  });
}

/** `prisma generate` and `next build`, unless the last build used exactly these sources. */
export async function ensureProductionBuild(
  env: NodeJS.ProcessEnv,
  dataDir: string,
  say: (line: string) => void,
): Promise<void> {
  const digest = buildInputsDigest();
  if (existsSync(".next/BUILD_ID") && existsSync(STAMP) && readFileSync(STAMP, "utf8") === digest) return;
  say("Building the app for production (the first start takes a minute or two)…");
  await run(process.execPath, ["scripts/db/generate.mjs"], env, path.join(dataDir, "generate.log"));
  await run(process.execPath, ["node_modules/next/dist/bin/next", "build"], env, path.join(dataDir, "build.log"));
  writeFileSync(STAMP, digest);
}
