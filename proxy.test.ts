import { randomUUID } from "node:crypto";
import { NextRequest } from "next/server";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { RateLimits } from "@/lib/server/rate-limit/limiter";
import type * as StoreModule from "@/lib/server/rate-limit/store";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

const state = vi.hoisted(() => ({ limits: null as RateLimits | null }));
vi.mock("@/lib/server/rate-limit/store", async (importOriginal) => ({
  ...(await importOriginal<typeof StoreModule>()),
  appRateLimits: () => state.limits,
  sessionUserId: (token: string) => Promise.resolve(token.startsWith("session-of-") ? token.slice(11) : null),
}));

const { proxy } = await import("@/proxy");
const { createRateLimits } = await import("@/lib/server/rate-limit/limiter");
const { createRateLimitPool } = await import("@/lib/server/rate-limit/store");
const { budgetsFrom } = await import("@/lib/server/rate-limit/budgets");
const { createLogger } = await import("@/lib/server/logger");

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let address = 0;
/** Each test its own client address and session, so budgets do not leak between tests. */
const client = () => ({ ip: `198.51.100.${++address}`, session: `session-of-user-${randomUUID()}` });

function request(path: string, init: { ip: string; session?: string; headers?: Record<string, string> }) {
  const headers = new Headers({ host: "localhost:3000", "x-forwarded-for": init.ip, ...init.headers });
  if (init.session) headers.set("cookie", `next-auth.session-token=${init.session}`);
  return new NextRequest(`http://localhost:3000${path}`, { headers });
}
/** What proxy.ts passes on to the page or route as request headers. */
const forwarded = (response: Response, name: string) => response.headers.get(`x-middleware-request-${name}`);

describe("proxy", () => {
  let database: TestDatabase;
  let pool: ReturnType<typeof createRateLimitPool>;
  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createRateLimitPool(database.url);
    state.limits = createRateLimits({
      pool,
      budgets: budgetsFrom({
        RATE_LIMIT_USER_PER_MINUTE: 3,
        RATE_LIMIT_IP_PER_MINUTE: 5,
        RATE_LIMIT_EVENTS_PER_MINUTE: 0,
      }),
      logger: createLogger(),
    });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });
  beforeEach(() => {
    vi.unstubAllEnvs();
    vi.stubEnv("NEXTAUTH_URL", "http://localhost:3000");
  });

  describe("request ids", () => {
    it("makes its own for every request, even when the client sends one, and keeps the client's beside it", async () => {
      const me = client();
      const response = await proxy(request("/", { ...me, headers: { "x-request-id": "client-chosen-id" } }));
      const ours = response.headers.get("x-request-id");
      expect(ours).toMatch(UUID);
      expect(forwarded(response, "x-request-id")).toBe(ours);
      expect(forwarded(response, "x-client-request-id")).toBe("client-chosen-id");
      const again = await proxy(request("/", { ...me, headers: { "x-request-id": ours ?? "" } }));
      expect(again.headers.get("x-request-id")).not.toBe(ours);
    });

    it("drops a client id that is not fit for a log line, and any x-client-request-id sent directly", async () => {
      const response = await proxy(
        request("/api/me", {
          ...client(),
          headers: { "x-request-id": `<script>${"x".repeat(10)}`, "x-client-request-id": "forged" },
        }),
      );
      expect(response.headers.get("x-request-id")).toMatch(UUID);
      expect(forwarded(response, "x-client-request-id")).toBeNull();
    });
  });

  describe("security headers", () => {
    it("gives each page a fresh nonce in its CSP, and hands the same policy to Next to put on its scripts", async () => {
      const me = client();
      const first = await proxy(request("/login", me));
      const second = await proxy(request("/login", me));
      const policy = first.headers.get("content-security-policy") ?? "";
      const nonce = /'nonce-([^']+)'/.exec(policy)?.[1];
      expect(nonce).toBeTruthy();
      expect(policy).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'(;|$)/);
      expect(policy).not.toMatch(/unsafe-inline'?[^;]*;?\s*$|script-src[^;]*unsafe/);
      expect(forwarded(first, "content-security-policy")).toBe(policy);
      expect(forwarded(first, "x-nonce")).toBe(nonce);
      expect(second.headers.get("content-security-policy")).not.toBe(policy);
      expect(first.headers.get("strict-transport-security")).toBeNull();
    });

    it("sends HSTS when the public URL is https, and a lock-down policy on API answers", async () => {
      vi.stubEnv("NEXTAUTH_URL", "https://stageboard.example.com");
      const response = await proxy(
        request("/api/me", { ip: client().ip, headers: { host: "stageboard.example.com" } }),
      );
      expect(response.status).toBe(401);
      expect(response.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
      expect(response.headers.get("content-security-policy")).toMatch(/^default-src 'none'/);
    });
  });

  describe("malformed addresses", () => {
    it("answers 400 to a malformed % escape or an over-long segment: a page for people, JSON for the API", async () => {
      const me = client();
      const page = await proxy(request("/pipelines/abc/executions/%E0%A4%A", me));
      expect(page.status).toBe(400);
      expect(page.headers.get("content-type")).toMatch(/text\/html/);
      const api = await proxy(request(`/api/pipelines/${"x".repeat(5_000)}`, { ...client() }));
      expect(api.status).toBe(400);
      expect(await api.json()).toMatchObject({ error: { code: "bad_request" } });
      expect(api.headers.get("x-request-id")).toMatch(UUID);
    });

    it("passes badges on with no session and on any host, and answers 400 to one Next could not decode", async () => {
      const badge = await proxy(
        request("/badges/acme/web-app.svg", { ip: client().ip, headers: { host: "camo.example.com" } }),
      );
      expect(badge.status).toBe(200);
      expect(badge.headers.get("x-middleware-next")).toBe("1");
      expect(badge.headers.get("location")).toBeNull();
      // Only /badges/ itself: an address that merely starts alike is gated like any page.
      const signedOut = () => ({ ip: client().ip });
      const alike = await proxy(request("/badgesx/acme.svg", signedOut()));
      expect(alike.headers.get("location")).toMatch(/\/login\?/);
      const malformed = await proxy(request("/badges/acme/%zz", signedOut()));
      expect(malformed.status).toBe(400);
      expect(await malformed.json()).toMatchObject({ error: { code: "bad_request" } });
    });

    it("answers 400 to a page filter that does not fit, before the page starts streaming", async () => {
      const response = await proxy(request(`/?q=${"x".repeat(101)}`, client()));
      expect(response.status).toBe(400);
      expect(await response.text()).toMatch(/filter cannot be read \(q: /);
    });
  });

  describe("rate limits", () => {
    it("answers a page 429 with Retry-After and a readable page once the user's budget is spent", async () => {
      const me = client();
      // Different addresses, one person: the user budget (3) is what runs out.
      for (let i = 0; i < 3; i++) {
        const response = await proxy(request("/", { session: me.session, ip: `203.0.113.${i + 1}` }));
        expect(response.status).toBe(200);
      }
      const limited = await proxy(request("/", { session: me.session, ip: "203.0.113.99" }));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(limited.headers.get("content-type")).toMatch(/text\/html/);
      expect(await limited.text()).toMatch(/Too many requests/);
      expect(limited.headers.get("content-security-policy")).toBeTruthy();
    });

    it("answers the API 429 as JSON once the address's budget is spent, signed in or not", async () => {
      const { ip } = client();
      for (let i = 0; i < 5; i++) expect((await proxy(request("/api/me", { ip }))).status).toBe(401);
      const limited = await proxy(request("/api/me", { ip, session: client().session }));
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
      // The sign-in routes are counted too.
      expect((await proxy(request("/api/auth/signin/github", { ip }))).status).toBe(429);
    });

    it("still sends other hosts to the public origin first", async () => {
      const { ip } = client();
      for (let i = 0; i < 6; i++) await proxy(request("/api/me", { ip }));
      const response = await proxy(request("/", { ip, headers: { host: "127.0.0.1:3000" } }));
      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe("http://localhost:3000/");
    });
  });

  describe("proxy's sign-in redirect", () => {
    it("keeps the page to come back to, but never lets a long query swell its Location header", async () => {
      const { ip } = client();
      const short = await proxy(request("/repositories/acme/web-app?status=failed", { ip }));
      expect(new URL(short.headers.get("location") ?? "").searchParams.get("callbackUrl")).toBe(
        "/repositories/acme/web-app?status=failed",
      );
      // Under the query-string limit as sent, yet its escapes tripled inside callbackUrl would pass 10 KiB.
      const query = `q=${"%F3%86%B8%90".repeat(290)}`;
      const long = await proxy(request(`/repositories/acme/web-app?${query}`, { ip }));
      const location = long.headers.get("location") ?? "";
      expect(location.length).toBeLessThan(8 * 1024);
      expect(new URL(location).searchParams.get("callbackUrl")).toBe("/repositories/acme/web-app");
    });
  });
});
