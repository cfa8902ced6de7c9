import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
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

// Everything a real instance needs (lib/config/real-instance.ts), so a test can leave one out.
const REAL = {
  GITHUB_CLIENT_ID: "Iv1.0123456789abcdef",
  GITHUB_CLIENT_SECRET: "oauth-app-client-value",
  NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
};

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
    const { code, stderr } = await start({
      ...REAL,
      DATABASE_URL: "postgresql://stageboard:secret@127.0.0.1:1/stageboard",
    });
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

describe("start-up of a real instance", () => {
  let busy: Server;
  let busyPort = 0;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    busyPort = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  const REFUSAL =
    /^Refusing to start a real instance \((\w+) is set\) on the GitHub stand-in and generated secrets: set GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET \(a GitHub OAuth App; the stand-in lets anyone sign in as an administrator\), NEXTAUTH_SECRET and TOKEN_ENCRYPTION_KEY \(each `openssl rand -base64 32`, the same on every instance\), or STAGEBOARD_DEMO=true for a demo$/;

  it.each([
    ["STAGEBOARD_TARGETS", '[{"region":"eu-west-1"}]'],
    ["AWS_REGION", "eu-west-1"],
    ["DATABASE_URL", "postgresql://stageboard:pw@localhost:5432/stageboard"],
  ])("%s without the rest refuses the GitHub stand-in and generated secrets", async (name, value) => {
    const { code, stderr } = await start({ [name]: value, PORT: String(busyPort), HOST: "127.0.0.1" });
    expect(code).not.toBe(0);
    expectOneLine(stderr, REFUSAL);
    expect(REFUSAL.exec(stderr.trim())?.[1]).toBe(name);
    expect(stderr).not.toContain("pw@");
  });

  it("GITHUB_CLIENT_ID alone refuses, naming what else it needs", async () => {
    const { code, stderr } = await start({ GITHUB_CLIENT_ID: REAL.GITHUB_CLIENT_ID });
    expect(code).not.toBe(0);
    expectOneLine(
      stderr,
      /^Refusing to start a real instance \(GITHUB_CLIENT_ID is set\) on the GitHub stand-in and generated secrets: set GITHUB_CLIENT_SECRET \(a GitHub OAuth App; .*\), NEXTAUTH_SECRET and TOKEN_ENCRYPTION_KEY \(.*\), or STAGEBOARD_DEMO=true for a demo$/,
    );
  });

  it.each([
    ["GITHUB_CLIENT_ID", "the GitHub stand-in"],
    ["GITHUB_CLIENT_SECRET", "the GitHub stand-in"],
    ["NEXTAUTH_SECRET", "generated secrets"],
    ["TOKEN_ENCRYPTION_KEY", "generated secrets"],
  ])("names %s when only it is missing", async (name, refused) => {
    const { code, stderr } = await start({ ...REAL, AWS_REGION: "eu-west-1", [name]: "" });
    expect(code).not.toBe(0);
    expectOneLine(
      stderr,
      new RegExp(
        `^Refusing to start a real instance \\(AWS_REGION( and GITHUB_CLIENT_ID are| is) set\\) on ${refused}: set ${name} \\(.*\\), or STAGEBOARD_DEMO=true for a demo$`,
      ),
    );
    for (const value of Object.values(REAL)) expect(stderr).not.toContain(value);
  });

  it("with everything set it gets past the check (here to the busy port)", async () => {
    const { code, stderr } = await start({
      ...REAL,
      AWS_REGION: "eu-west-1",
      PORT: String(busyPort),
      HOST: "127.0.0.1",
    });
    expect(code).not.toBe(0);
    expectOneLine(stderr, new RegExp(`^Port ${busyPort} is already in use`));
  });

  it("STAGEBOARD_DEMO=true allows a demo on real settings", async () => {
    const aws = await start({
      AWS_REGION: "eu-west-1",
      STAGEBOARD_DEMO: "true",
      PORT: String(busyPort),
      HOST: "127.0.0.1",
    });
    expectOneLine(aws.stderr, new RegExp(`^Port ${busyPort} is already in use`));
    const database = await start({
      DATABASE_URL: "postgresql://stageboard@127.0.0.1:1/stageboard",
      STAGEBOARD_DEMO: "true",
    });
    expectOneLine(database.stderr, /^Cannot reach the database at 127\.0\.0\.1:1 /);
  });

  it("a bad STAGEBOARD_DEMO is a bad value like any other", async () => {
    const { code, stderr } = await start({ STAGEBOARD_DEMO: "yes" });
    expect(code).not.toBe(0);
    expectOneLine(stderr, /^Invalid configuration: STAGEBOARD_DEMO must be true or false \(got "yes"\)$/);
  });
});
