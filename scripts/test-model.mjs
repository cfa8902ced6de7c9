#!/usr/bin/env node
// npm run test:model [-- <service-2.json|service-2.json.gz> [vitest options]]
// Runs the suites that hold the sandbox to botocore's full CodePipeline model (lengths, patterns,
// enums, every operation), which no npm package ships. The model is the path given, else the one in
// the botocore that python3 imports; with neither, this fails in one line. The suites read the path
// from STAGEBOARD_CODEPIPELINE_MODEL and fail, never skip, without it.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ENV = "STAGEBOARD_CODEPIPELINE_MODEL";
const BOTOCORE_MODEL = path.join("data", "codepipeline", "2015-07-09");
const root = fileURLToPath(new URL("..", import.meta.url));

function fail(line) {
  console.error(`test:model: ${line}`);
  process.exit(1);
}

/** botocore's model as installed for python3 (gzipped since botocore 1.32), or undefined. */
function botocoreModel() {
  const found = spawnSync("python3", ["-c", "import botocore, os; print(os.path.dirname(botocore.__file__))"], {
    encoding: "utf8",
  });
  if (found.status !== 0 || !found.stdout.trim()) return undefined;
  const dir = path.join(found.stdout.trim(), BOTOCORE_MODEL);
  return ["service-2.json.gz", "service-2.json"].map((name) => path.join(dir, name)).find((file) => existsSync(file));
}

const args = process.argv.slice(2);
const given = args[0] !== undefined && !args[0].startsWith("-") ? args.shift() : undefined;
let model;
if (given !== undefined) {
  // npm runs scripts from the package root; a relative path means relative to where npm was run.
  model = path.resolve(process.env.INIT_CWD ?? process.cwd(), given);
  if (!existsSync(model)) fail(`no CodePipeline model at ${model}`);
} else {
  model = botocoreModel();
  if (!model) {
    fail(
      "no CodePipeline model: pass botocore's service-2.json (npm run test:model -- <path>) or install botocore for python3 (pip install botocore)",
    );
  }
}
console.log(`test:model: botocore's CodePipeline model from ${model}`);

const vitest = path.join(path.dirname(createRequire(import.meta.url).resolve("vitest/package.json")), "vitest.mjs");
const run = spawnSync(process.execPath, [vitest, "run", "--config", "vitest.model.config.ts", ...args], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, [ENV]: model },
});
if (run.error) fail(`cannot run vitest: ${run.error.message}`);
process.exit(run.status ?? 1);
