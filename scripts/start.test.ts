import { execFile } from "node:child_process";
import { createServer, type Server } from "node:net";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

// `npm start` with a bad configuration must end at once with one actionable line and a non-zero exit.
const run = promisify(execFile);

async function start(env: Record<string, string>) {
  try {
    await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/start.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        STAGEBOARD_DATA_DIR: ".data/start-test",
        ...env,
      },
      timeout: 60_000,
    });
    return { code: 0, stderr: "" };
  } catch (error) {
    const failure = error as { code: number; stderr: string };
    return { code: failure.code, stderr: failure.stderr };
  }
}

function expectOneLine(stderr: string, pattern: RegExp) {
  const lines = stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(stderr).not.toMatch(/\n\s+at /);
}

describe("start-up with bad configuration", () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it("DATABASE_URL that is not a URL", async () => {
    const { code, stderr } = await start({ DATABASE_URL: "not-a-url" });
    expect(code).not.toBe(0);
    expectOneLine(
      stderr,
      /^Invalid configuration: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL, e\.g\. postgresql:\/\/.+/,
    );
  });

  it("a database that cannot be reached", async () => {
    const { code, stderr } = await start({ DATABASE_URL: "postgresql://stageboard:secret@127.0.0.1:1/stageboard" });
    expect(code).not.toBe(0);
    expectOneLine(stderr, /^Cannot reach the database at 127\.0\.0\.1:1 \(ECONNREFUSED\): .*DATABASE_URL/);
    expect(stderr).not.toContain("secret");
  });

  it("an unknown AWS region", async () => {
    const { code, stderr } = await start({ AWS_REGION: "mars-north-1" });
    expect(code).not.toBe(0);
    expectOneLine(
      stderr,
      /^Invalid configuration: AWS_REGION must be an AWS region such as us-east-1 \(got "mars-north-1"\)$/,
    );
  });

  it("a region inside STAGEBOARD_TARGETS", async () => {
    const { code, stderr } = await start({ STAGEBOARD_TARGETS: '[{"region":"moon-1"}]' });
    expect(code).not.toBe(0);
    expectOneLine(stderr, /^Invalid configuration: STAGEBOARD_TARGETS .*region must be an AWS region/);
  });

  it("a port already in use", async () => {
    const { code, stderr } = await start({ PORT: String(busyPort), HOST: "127.0.0.1" });
    expect(code).not.toBe(0);
    expectOneLine(stderr, new RegExp(`^Port ${busyPort} is already in use: .*PORT=${busyPort + 1} npm start$`));
  });
});
