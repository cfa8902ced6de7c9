import { spawn } from "node:child_process";
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TSX = fileURLToPath(new URL("../node_modules/.bin/tsx", import.meta.url));

function startCli(args: string[]): ChildProcessWithoutNullStreams {
  return spawn(TSX, ["github-stand-in/cli.ts", ...args], { cwd: ROOT });
}

/** Resolves with the first `count` stdout lines. */
function lines(child: ChildProcessWithoutNullStreams, count: number): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let text = "";
    child.stdout.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      const got = text.split("\n");
      if (got.length > count) resolve(got.slice(0, count));
    });
    child.once("exit", (code) => reject(new Error(`exited ${String(code)} before printing ${count} lines: ${text}`)));
  });
}

function exitCode(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once("exit", (code) => resolve(code)));
}

describe("github-stand-in CLI", () => {
  it("prints the listening line, then each demo user's reach, serves, and exits cleanly on SIGTERM", async () => {
    // A stand-in for the CodePipeline sandbox's repository list.
    const source = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ repositories: ["acme/billing", "initech/printer"] }));
    });
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const from = `http://127.0.0.1:${(source.address() as AddressInfo).port}/_sandbox/repositories`;
    try {
      const child = startCli(["--port", "0", "--repositories", "globex/shop", "--repositories-from", from]);
      const output = await lines(child, 4);
      const [listening = "", ...users] = output;
      expect(listening).toMatch(/^listening on http:\/\/127\.0\.0\.1:\d+$/);
      expect(users).toEqual([
        "  ada (Ada Lovelace): admin: acme/billing; read: globex/shop",
        "  grace (Grace Hopper): write: globex/shop; read: initech/printer",
        "  linus (Linus Torvalds): no repositories",
      ]);
      const url = listening.replace("listening on ", "");
      const page = await fetch(
        `${url}/login/oauth/authorize?client_id=stageboard-dev&redirect_uri=http://localhost:3000/cb`,
      );
      expect(page.status).toBe(200);
      const exited = exitCode(child);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    } finally {
      source.close();
    }
  });

  it("refuses a bad port with usage on stderr", async () => {
    const child = startCli(["--port", "http"]);
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    expect(await exitCode(child)).toBe(2);
    expect(stderr).toMatch(/--port must be 0-65535[\s\S]*usage: github-stand-in/);
  });
});
