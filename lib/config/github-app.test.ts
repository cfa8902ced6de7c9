import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { githubAppConfigProblem, githubAppSchema, isPemPrivateKey, normalizePrivateKey } from "./github-app";

const pem = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  publicKeyEncoding: { type: "spki", format: "pem" },
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
}).privateKey;
const schema = z.object(githubAppSchema);
const complete = { GITHUB_APP_ID: 123, GITHUB_APP_PRIVATE_KEY: pem, GITHUB_APP_WEBHOOK_SECRET: "whsec" };

afterEach(() => {
  vi.unstubAllEnvs();
  vi.resetModules();
});

describe("the App's private key as configured", () => {
  it("takes a PEM written on one line with \\n escapes, quoted or not, as the PEM itself", () => {
    const oneLine = pem.trimEnd().replaceAll("\n", "\\n");
    expect(normalizePrivateKey(oneLine)).toBe(pem);
    expect(normalizePrivateKey(`"${oneLine}"`)).toBe(pem);
    expect(normalizePrivateKey(pem.replaceAll("\n", "\r\n"))).toBe(pem);
    expect(schema.parse({ GITHUB_APP_PRIVATE_KEY: oneLine }).GITHUB_APP_PRIVATE_KEY).toBe(pem);
  });

  it("refuses what is not a PEM private key: the first line alone, a public key, an OpenSSH key", () => {
    const publicPem = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      publicKeyEncoding: { type: "spki", format: "pem" },
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
    }).publicKey;
    for (const bad of [
      "-----BEGIN RSA PRIVATE KEY-----",
      publicPem,
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaA==\n-----END OPENSSH PRIVATE KEY-----",
    ]) {
      expect(isPemPrivateKey(normalizePrivateKey(bad))).toBe(false);
      expect(schema.safeParse({ GITHUB_APP_PRIVATE_KEY: bad }).success).toBe(false);
    }
  });
});

describe("GITHUB_APP_* fields", () => {
  it("reads the App id as a number and refuses a client id in its place", () => {
    expect(schema.parse({ GITHUB_APP_ID: "300001" }).GITHUB_APP_ID).toBe(300001);
    expect(schema.safeParse({ GITHUB_APP_ID: "Iv23liStageboardDev0" }).success).toBe(false);
    expect(schema.safeParse({ GITHUB_APP_ID: "0" }).success).toBe(false);
  });

  it("takes a slug as GitHub writes it in /apps/<slug>", () => {
    expect(schema.parse({ GITHUB_APP_SLUG: "stageboard-acme" }).GITHUB_APP_SLUG).toBe("stageboard-acme");
    expect(schema.safeParse({ GITHUB_APP_SLUG: "Stageboard Acme" }).success).toBe(false);
  });
});

describe("an App configured as a whole", () => {
  it("needs nothing when no GITHUB_APP_* is set, and accepts a complete one (key or key file)", () => {
    expect(githubAppConfigProblem({})).toBeNull();
    expect(githubAppConfigProblem(complete)).toBeNull();
    const { GITHUB_APP_PRIVATE_KEY: _key, ...withoutKey } = complete;
    expect(githubAppConfigProblem({ ...withoutKey, GITHUB_APP_PRIVATE_KEY_FILE: "/run/secrets/app.pem" })).toBeNull();
  });

  it("names what is missing or contradictory", () => {
    expect(githubAppConfigProblem({ GITHUB_APP_WEBHOOK_SECRET: "x" })).toMatch(
      /GITHUB_APP_WEBHOOK_SECRET is set.*GITHUB_APP_ID is needed/,
    );
    expect(githubAppConfigProblem({ GITHUB_APP_ID: 1 })).toMatch(
      /GITHUB_APP_PRIVATE_KEY .* or GITHUB_APP_PRIVATE_KEY_FILE/,
    );
    expect(githubAppConfigProblem({ ...complete, GITHUB_APP_PRIVATE_KEY_FILE: "/k.pem" })).toMatch(/not both/);
    expect(githubAppConfigProblem({ ...complete, GITHUB_APP_WEBHOOK_SECRET: undefined })).toMatch(
      /GITHUB_APP_WEBHOOK_SECRET is needed/,
    );
    expect(githubAppConfigProblem({ ...complete, GITHUB_APP_CLIENT_ID: "Iv23li" })).toMatch(/go together/);
  });

  it("stops the app's environment from loading when half configured, never echoing the key", async () => {
    vi.stubEnv("GITHUB_APP_ID", "123");
    vi.stubEnv("GITHUB_APP_PRIVATE_KEY", pem.replaceAll("\n", "\\n"));
    await expect(import("@/lib/env")).rejects.toThrow(/GITHUB_APP_WEBHOOK_SECRET is needed/);
    vi.resetModules();
    vi.stubEnv("GITHUB_APP_PRIVATE_KEY", "-----BEGIN RSA PRIVATE KEY-----\nnot-base64!\n-----END RSA PRIVATE KEY-----");
    const failure = await import("@/lib/env").then(
      () => null,
      (error: unknown) => error,
    );
    expect(String(failure)).toMatch(/GITHUB_APP_PRIVATE_KEY must be the App's PEM private key/);
    expect(String(failure)).not.toContain("not-base64");
    vi.resetModules();
    vi.stubEnv("GITHUB_APP_PRIVATE_KEY", pem);
    vi.stubEnv("GITHUB_APP_WEBHOOK_SECRET", "whsec");
    await expect(import("@/lib/env")).resolves.toHaveProperty("env.GITHUB_APP_ID", 123);
  });
});
