import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { classifyInstance, realInstanceProblem, type InstanceSettings } from "./real-instance";

const run = promisify(execFile);
const secret = () => randomBytes(32).toString("base64");
const nothing: InstanceSettings = { STAGEBOARD_DEMO: false };
const secrets = { NEXTAUTH_SECRET: secret(), TOKEN_ENCRYPTION_KEY: secret() };
const github = { GITHUB_CLIENT_ID: "Iv1.abc", GITHUB_CLIENT_SECRET: "oauth-app-secret" };
const TRIGGERS: [string, Partial<InstanceSettings>][] = [
  ["STAGEBOARD_TARGETS", { STAGEBOARD_TARGETS: [{ region: "eu-west-1" }] }],
  ["AWS_REGION", { AWS_REGION: "eu-west-1" }],
  ["GITHUB_CLIENT_ID", { GITHUB_CLIENT_ID: "Iv1.abc" }],
  ["DATABASE_URL", { DATABASE_URL: "postgresql://app:pw@localhost:5432/stageboard" }],
];

describe("which instances are real", () => {
  it("nothing configured is the quick start, and needs nothing", () => {
    expect(classifyInstance(nothing)).toEqual({ kind: "quick-start" });
    expect(realInstanceProblem(nothing, "launcher")).toBeNull();
    expect(realInstanceProblem(nothing, "process")).toBeNull();
  });

  it.each(TRIGGERS)("%s makes it real (a localhost database too)", (name, settings) => {
    expect(classifyInstance({ ...nothing, ...settings })).toEqual({ kind: "real", configured: [name] });
    expect(classifyInstance({ ...nothing, ...settings, STAGEBOARD_DEMO: true })).toEqual({
      kind: "demo",
      configured: [name],
    });
  });

  it("names every setting that makes it real, and never a value", () => {
    const problem = realInstanceProblem(
      { ...nothing, AWS_REGION: "eu-west-1", DATABASE_URL: "postgresql://app:pw@db/stageboard" },
      "launcher",
    );
    expect(problem).toMatch(/^Refusing to start a real instance \(AWS_REGION and DATABASE_URL are set\)/);
    expect(problem).not.toContain("pw@");
  });
});

describe("what a real instance needs", () => {
  it.each(TRIGGERS)("npm start with %s alone names all four settings, or a demo", (_name, settings) => {
    expect(realInstanceProblem({ ...nothing, ...settings }, "launcher")).toMatch(
      /on (the GitHub stand-in and )?generated secrets: set (GITHUB_CLIENT_SECRET|GITHUB_CLIENT_ID and GITHUB_CLIENT_SECRET) \(a GitHub OAuth App; .*\), NEXTAUTH_SECRET and TOKEN_ENCRYPTION_KEY \(each `openssl rand -base64 32`, the same on every instance\), or STAGEBOARD_DEMO=true for a demo$/,
    );
  });

  it.each([
    ["GITHUB_CLIENT_ID", /on the GitHub stand-in: set GITHUB_CLIENT_ID \(a GitHub OAuth App/],
    ["GITHUB_CLIENT_SECRET", /on the GitHub stand-in: set GITHUB_CLIENT_SECRET \(a GitHub OAuth App/],
    ["NEXTAUTH_SECRET", /on generated secrets: set NEXTAUTH_SECRET \(`openssl rand -base64 32`/],
    ["TOKEN_ENCRYPTION_KEY", /on generated secrets: set TOKEN_ENCRYPTION_KEY \(`openssl rand -base64 32`/],
  ] as const)("npm start names %s when only it is missing", (name, message) => {
    const settings: InstanceSettings = {
      ...nothing,
      AWS_REGION: "eu-west-1",
      ...github,
      ...secrets,
      [name]: undefined,
    };
    expect(realInstanceProblem(settings, "launcher")).toMatch(message);
  });

  it("a real instance with everything set starts, and so does a demo with nothing but a trigger", () => {
    expect(realInstanceProblem({ ...nothing, AWS_REGION: "eu-west-1", ...github, ...secrets }, "launcher")).toBeNull();
    expect(realInstanceProblem({ ...nothing, AWS_REGION: "eu-west-1", STAGEBOARD_DEMO: true }, "launcher")).toBeNull();
  });

  it("the app's own processes need the secrets, not GitHub (a worker never signs anyone in)", () => {
    const database = { DATABASE_URL: "postgresql://localhost/stageboard" };
    expect(realInstanceProblem({ ...nothing, ...database }, "process")).toBe(
      "Refusing to start a real instance (DATABASE_URL is set) without NEXTAUTH_SECRET and TOKEN_ENCRYPTION_KEY: set NEXTAUTH_SECRET and TOKEN_ENCRYPTION_KEY (each `openssl rand -base64 32`, the same on every instance)",
    );
    expect(realInstanceProblem({ ...nothing, ...database, ...secrets }, "process")).toBeNull();
    expect(realInstanceProblem({ ...nothing, ...database, STAGEBOARD_DEMO: true }, "process")).toBeNull();
  });
});

describe("the app refuses a real instance without its secrets", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
    vi.resetModules();
  });

  it("when its configuration is loaded (next start, next build, every server module)", async () => {
    vi.resetModules();
    vi.stubEnv("DATABASE_URL", "postgresql://app:pw@127.0.0.1:5432/stageboard");
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", secret());
    await expect(import("@/lib/env")).rejects.toThrow(
      /^Refusing to start a real instance \(DATABASE_URL is set\) without NEXTAUTH_SECRET: set NEXTAUTH_SECRET/,
    );
  });

  it("loads once the secrets are set, or for a demo", async () => {
    vi.resetModules();
    vi.stubEnv("DATABASE_URL", "postgresql://app:pw@127.0.0.1:5432/stageboard");
    vi.stubEnv("NEXTAUTH_SECRET", secret());
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", secret());
    await expect(import("@/lib/env")).resolves.toHaveProperty("env");
    vi.resetModules();
    vi.stubEnv("NEXTAUTH_SECRET", "");
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", "");
    vi.stubEnv("STAGEBOARD_DEMO", "true");
    await expect(import("@/lib/env")).resolves.toHaveProperty("env");
  });

  it("npm run worker stops with the one line, before touching the database", async () => {
    const failure = await run(process.execPath, ["--conditions=react-server", "--import", "tsx", "scripts/worker.ts"], {
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NODE_ENV: "production",
        // Nothing listens there: reaching the database would fail with another message.
        DATABASE_URL: "postgresql://stageboard:pw@127.0.0.1:1/stageboard",
        NEXTAUTH_SECRET: secret(),
      },
      timeout: 60_000,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (error: unknown) => error as { code: number; stderr: string },
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr.trim()).toBe(
      "Refusing to start a real instance (DATABASE_URL is set) without TOKEN_ENCRYPTION_KEY: set TOKEN_ENCRYPTION_KEY (`openssl rand -base64 32`, the same on every instance)",
    );
  });
});
