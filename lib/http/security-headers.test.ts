import { describe, expect, it } from "vitest";
import {
  API_CONTENT_SECURITY_POLICY,
  createNonce,
  pageContentSecurityPolicy,
  STATIC_SECURITY_HEADERS,
  strictTransportSecurity,
} from "@/lib/http/security-headers";

const directives = (policy: string) =>
  new Map(
    policy.split(";").map((part) => {
      const [name = "", ...values] = part.trim().split(/\s+/);
      return [name, values] as const;
    }),
  );

const base = { nonce: "abc123==", githubUrl: "https://github.com", https: true, development: false };

describe("pageContentSecurityPolicy", () => {
  it("runs only scripts with the nonce (and what they load), never inline or eval'd code", () => {
    const policy = directives(pageContentSecurityPolicy(base));
    expect(policy.get("script-src")).toEqual(["'nonce-abc123=='", "'strict-dynamic'"]);
    expect(pageContentSecurityPolicy(base)).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(policy.get("style-src")).toEqual(["'self'", "'nonce-abc123=='"]);
  });

  it("allows eval only under next dev", () => {
    const policy = directives(pageContentSecurityPolicy({ ...base, development: true }));
    expect(policy.get("script-src")).toContain("'unsafe-eval'");
  });

  it("locks down framing, plugins, base and forms, and allows GitHub's avatars and sign-in", () => {
    const policy = directives(pageContentSecurityPolicy(base));
    expect(policy.get("default-src")).toEqual(["'self'"]);
    expect(policy.get("frame-ancestors")).toEqual(["'none'"]);
    expect(policy.get("object-src")).toEqual(["'none'"]);
    expect(policy.get("base-uri")).toEqual(["'none'"]);
    expect(policy.get("form-action")).toEqual(["'self'", "https://github.com"]);
    expect(policy.get("img-src")).toEqual(["'self'", "data:", "https://avatars.githubusercontent.com"]);
    expect(policy.has("upgrade-insecure-requests")).toBe(true);
  });

  it("follows GITHUB_URL for GitHub Enterprise Server and the stand-in, and upgrades nothing over http", () => {
    const ghes = directives(pageContentSecurityPolicy({ ...base, githubUrl: "https://github.example.com/" }));
    expect(ghes.get("img-src")).toEqual([
      "'self'",
      "data:",
      "https://github.example.com",
      "https://avatars.github.example.com",
    ]);
    expect(ghes.get("form-action")).toEqual(["'self'", "https://github.example.com"]);
    const local = directives(pageContentSecurityPolicy({ ...base, githubUrl: "http://127.0.0.1:4600", https: false }));
    expect(local.get("img-src")).toEqual(["'self'", "data:", "http://127.0.0.1:4600"]);
    expect(local.has("upgrade-insecure-requests")).toBe(false);
  });
});

describe("other headers", () => {
  it("gives API answers a policy that loads and frames nothing", () => {
    expect(directives(API_CONTENT_SECURITY_POLICY).get("default-src")).toEqual(["'none'"]);
    expect(directives(API_CONTENT_SECURITY_POLICY).get("frame-ancestors")).toEqual(["'none'"]);
  });

  it("sends HSTS only when the public URL is https", () => {
    expect(strictTransportSecurity("https://stageboard.example.com")).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    expect(strictTransportSecurity("http://localhost:3000")).toBeNull();
    expect(strictTransportSecurity(undefined)).toBeNull();
  });

  it("sets nosniff, a strict referrer policy and a permissions policy on every response", () => {
    const byName = new Map(STATIC_SECURITY_HEADERS.map((h) => [h.key.toLowerCase(), h.value]));
    expect(byName.get("x-content-type-options")).toBe("nosniff");
    expect(byName.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(byName.get("permissions-policy")).toMatch(/camera=\(\)/);
    expect(byName.has("content-security-policy")).toBe(false); // per request, in proxy.ts
  });

  it("makes a new 128-bit nonce each time", () => {
    const nonces = new Set(Array.from({ length: 50 }, createNonce));
    expect(nonces.size).toBe(50);
    for (const nonce of nonces) expect(Buffer.from(nonce, "base64")).toHaveLength(16);
  });
});
