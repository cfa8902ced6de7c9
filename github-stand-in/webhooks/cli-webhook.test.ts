import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { DEMO_APP } from "../app/app-options";
import { startReceiver } from "./test-receiver";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSX = fileURLToPath(new URL("../../node_modules/.bin/tsx", import.meta.url));
const folder = mkdtempSync(join(tmpdir(), "stand-in-webhooks-"));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

function startCli(args: string[]): { child: ChildProcessWithoutNullStreams; output: Promise<string> } {
  const child = spawn(TSX, ["github-stand-in/cli.ts", "--port", "0", ...args], { cwd: ROOT });
  const output = new Promise<string>((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes("  app ")) resolve(text);
    });
    child.stderr.on("data", (chunk: Buffer) => (text += chunk.toString()));
    child.once("exit", (code) => reject(new Error(`exited ${String(code)}: ${text}`)));
  });
  return { child, output };
}

describe("github-stand-in CLI: the demo App's webhook", () => {
  it("sends the demo App's deliveries to --demo-app-webhook-url, signed with its webhook secret", async () => {
    const receiver = await startReceiver(DEMO_APP.webhookSecret ?? "");
    const run = startCli(["--demo-app", join(folder, "demo.pem"), "--demo-app-webhook-url", receiver.url]);
    try {
      const url = /listening on (\S+)/.exec(await run.output)?.[1] ?? "";
      const apps = (await (await fetch(`${url}/_stand-in/apps`)).json()) as { slug: string; webhook_url: string }[];
      expect(apps.find((a) => a.slug === DEMO_APP.slug)?.webhook_url).toBe(receiver.url);
      const added = await fetch(`${url}/_stand-in/commits`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          repository: "acme/web-app",
          commits: [{ message: "ship", author: { name: "Ada Lovelace", email: "ada@example.com" } }],
        }),
      });
      expect(added.status).toBe(200);
      const [push] = await receiver.waitFor(1, (r) => r.event === "push");
      expect(push?.verified).toBe(true);
      expect(push?.payload).toMatchObject({ installation: { id: 500001 }, repository: { full_name: "acme/web-app" } });
    } finally {
      const exited = new Promise((resolve) => run.child.once("exit", resolve));
      run.child.kill("SIGTERM");
      await exited;
      await receiver.stop();
    }
  });

  it("refuses a webhook URL that is not http(s), or one without the demo App", async () => {
    for (const args of [
      ["--demo-app", join(folder, "demo.pem"), "--demo-app-webhook-url", "ftp://example.com/hook"],
      ["--demo-app-webhook-url", "http://127.0.0.1:1/hook"],
    ]) {
      const child = spawn(TSX, ["github-stand-in/cli.ts", "--port", "0", ...args], { cwd: ROOT });
      let stderr = "";
      child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise((resolve) => child.once("exit", resolve));
      expect(code).toBe(2);
      expect(stderr).toMatch(/--demo-app-webhook-url/);
    }
  });
});
