import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { appJwt } from "../test-support/app-client";
import { DEMO_APP } from "./app-options";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
const folder = mkdtempSync(join(tmpdir(), "stand-in-apps-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

interface Run {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed until the App lines, which come last. */
  output: Promise<string>;
}

function startCli(args: string[], appLines: number): Run {
  const child = spawn(TSX, ["github-stand-in/cli.ts", "--port", "0", ...args], { cwd: ROOT });
  const output = new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.split("\n").filter((line) => line.startsWith("  app ")).length >= appLines) resolve(text);
    });
    child.once("exit", (code) => reject(new Error(`exited ${String(code)}: ${text}`)));
  });
  return { child, output };
}

async function stop(run: Run): Promise<void> {
  const exited = new Promise((resolve) => run.child.once("exit", resolve));
  run.child.kill("SIGTERM");
  await exited;
}

const urlOf = (output: string) => /listening on (\S+)/.exec(output)?.[1] ?? "";

describe("github-stand-in CLI with Apps", () => {
  it("registers Apps from a JSON file, writes a new key beside it once, never prints it, and reuses it", async () => {
    const config = join(folder, "apps.json");
    writeFileSync(
      config,
      JSON.stringify({
        id: 424242,
        name: "From File",
        owner: "acme",
        privateKeyFile: "from-file.pem",
        installations: [{ account: "acme", repositories: ["web-app"] }],
      }),
    );
    const first = startCli(["--app-from", config], 1);
    const printed = await first.output;
    await stop(first);
    const keyFile = join(folder, "from-file.pem");
    const key = readFileSync(keyFile, "utf8");
    expect(key).toMatch(/^-----BEGIN RSA PRIVATE KEY-----/);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(printed).not.toContain("PRIVATE KEY");
    expect(printed).toMatch(/^ {2}app from-file \(id 424242, client id Iv23li\w{14}\): acme \(installation \d+\)$/m);

    // A second start reads the same key: what was wired to the first run still authenticates.
    const second = startCli(["--app-from", config], 1);
    try {
      const url = urlOf(await second.output);
      expect(readFileSync(keyFile, "utf8")).toBe(key);
      const me = await fetch(`${url}/api/v3/app`, {
        headers: { authorization: `Bearer ${appJwt(key, 424242, Date.now())}`, "user-agent": "test" },
      });
      expect(me.status).toBe(200);
    } finally {
      await stop(second);
    }
  });

  it("starts the fixed demo App with --demo-app, installed on acme and globex", async () => {
    const keyFile = join(folder, "demo.pem");
    const run = startCli(["--demo-app", keyFile], 1);
    try {
      const output = await run.output;
      expect(output).toContain(
        `  app stageboard-dev (id ${DEMO_APP.id}, client id ${DEMO_APP.clientId}): acme (installation 500001), globex (installation 500002)`,
      );
      const apps = (await (await fetch(`${urlOf(output)}/_stand-in/apps`)).json()) as object[];
      expect(apps).toEqual([expect.objectContaining({ slug: "stageboard-dev", public: true, owner: "acme" })]);
      expect(JSON.stringify(apps)).not.toContain(DEMO_APP.clientSecret ?? "?");
    } finally {
      await stop(run);
    }
  });

  it("refuses an App file that is not an App", async () => {
    const config = join(folder, "bad.json");
    writeFileSync(config, JSON.stringify({ name: "No Owner" }));
    const child = spawn(TSX, ["github-stand-in/cli.ts", "--port", "0", "--app-from", config], { cwd: ROOT });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once("exit", resolve));
    expect(code).toBe(2);
    expect(stderr).toContain("--app-from: an App needs a name and an owner");
  });
});
