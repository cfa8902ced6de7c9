import { Writable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/server/logger";
import { budgetsFrom } from "@/lib/server/rate-limit/budgets";
import { trustedProxyList } from "@/lib/server/rate-limit/client-ip";
import { createRateLimits, type RateLimits } from "@/lib/server/rate-limit/limiter";
import { limitPersonRequest } from "@/lib/server/rate-limit/people";
import { rateLimitedJson, rateLimitedPage } from "@/lib/server/rate-limit/responses";
import { createRateLimitPool } from "@/lib/server/rate-limit/store";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = createLogger(stream);
  logger.level = "info";
  return { logger, lines };
}

const budgets = (perMinute: { user?: number; ip?: number; events?: number }) =>
  budgetsFrom({
    RATE_LIMIT_USER_PER_MINUTE: perMinute.user ?? 0,
    RATE_LIMIT_IP_PER_MINUTE: perMinute.ip ?? 0,
    RATE_LIMIT_EVENTS_PER_MINUTE: perMinute.events ?? 0,
  });

async function consumeTimes(limits: RateLimits, times: number, charge: Parameters<RateLimits["consume"]>[0]) {
  const kinds: string[] = [];
  for (let i = 0; i < times; i++) kinds.push((await limits.consume(charge)).kind);
  return kinds;
}

describe("rate limits in PostgreSQL", () => {
  let database: TestDatabase;
  const pools: pg.Pool[] = [];
  const pool = () => {
    const created = createRateLimitPool(database.url);
    pools.push(created);
    return created;
  };
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
    await database.drop();
  });

  it("answers 429 with Retry-After once a user's budget is spent, and only for that user", async () => {
    const limits = createRateLimits({ pool: pool(), budgets: budgets({ user: 3 }), logger: capture().logger });
    const ada = [{ budget: "user", subject: "user-ada" }] as const;
    expect(await consumeTimes(limits, 3, ada)).toEqual(["allowed", "allowed", "allowed"]);
    const decision = await limits.consume(ada);
    expect(decision).toMatchObject({ kind: "limited", budget: "user", limit: 3 });
    if (decision.kind !== "limited") throw new Error("unreachable");
    expect(decision.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(decision.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((await limits.consume([{ budget: "user", subject: "user-grace" }])).kind).toBe("allowed");

    const api = rateLimitedJson(decision);
    expect(api.status).toBe(429);
    expect(api.headers.get("retry-after")).toBe(String(decision.retryAfterSeconds));
    expect(await api.json()).toEqual({ error: { code: "rate_limited", message: expect.any(String) as string } });
    const page = rateLimitedPage(decision);
    expect(page.status).toBe(429);
    expect(page.headers.get("retry-after")).toBe(String(decision.retryAfterSeconds));
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/Too many requests/);
  });

  it("limits per client address, read through the trusted proxies, and pages per user too", async () => {
    const limits = createRateLimits({ pool: pool(), budgets: budgets({ ip: 2, user: 100 }), logger: capture().logger });
    const deps = {
      limits,
      trustedProxies: trustedProxyList(["10.0.0.0/8"]),
      userIdOf: (token: string) => Promise.resolve(token === "ada-cookie" ? "user-ada-pages" : null),
    };
    // The client forges a left-most address each time; the proxy's appended one is what counts.
    const from = (forged: string) => ({
      forwardedFor: `${forged}, 198.51.100.7, 10.0.0.1`,
      kind: "api" as const,
      sessionToken: null,
    });
    expect((await limitPersonRequest(from("1.1.1.1"), deps)).kind).toBe("allowed");
    expect((await limitPersonRequest(from("2.2.2.2"), deps)).kind).toBe("allowed");
    expect(await limitPersonRequest(from("3.3.3.3"), deps)).toMatchObject({ kind: "limited", budget: "ip" });
    expect((await limitPersonRequest({ ...from("x"), forwardedFor: "198.51.100.8" }, deps)).kind).toBe("allowed");

    const userOnly = createRateLimits({ pool: pool(), budgets: budgets({ user: 1 }), logger: capture().logger });
    const page = { forwardedFor: "198.51.100.9", kind: "page" as const, sessionToken: "ada-cookie" };
    expect((await limitPersonRequest(page, { ...deps, limits: userOnly })).kind).toBe("allowed");
    expect(await limitPersonRequest(page, { ...deps, limits: userOnly })).toMatchObject({ budget: "user" });
    // API requests are charged to the user in withUser, not here (never twice).
    expect((await limitPersonRequest({ ...page, kind: "api" }, { ...deps, limits: userOnly })).kind).toBe("allowed");
  });

  it("shares the counters between instances on one database", async () => {
    const first = createRateLimits({ pool: pool(), budgets: budgets({ user: 4 }), logger: capture().logger });
    const second = createRateLimits({ pool: pool(), budgets: budgets({ user: 4 }), logger: capture().logger });
    const charge = [{ budget: "user", subject: "user-shared" }] as const;
    expect(await consumeTimes(first, 2, charge)).toEqual(["allowed", "allowed"]);
    expect(await consumeTimes(second, 2, charge)).toEqual(["allowed", "allowed"]);
    expect((await first.consume(charge)).kind).toBe("limited");
    expect((await second.consume(charge)).kind).toBe("limited");
    const rows = await database.db.rateLimit.findMany({ where: { key: "user:user-shared" } });
    expect(rows).toHaveLength(1);
    expect(rows[0]?.points).toBeGreaterThanOrEqual(5);
    expect(Number(rows[0]?.expire)).toBeGreaterThan(Date.now());
  });

  it("keeps limiting in memory, and logs once, while the database is unreachable", async () => {
    const { logger, lines } = capture();
    const unreachable = createRateLimitPool("postgresql://stageboard@127.0.0.1:1/none");
    pools.push(unreachable);
    const limits = createRateLimits({ pool: unreachable, budgets: budgets({ user: 3 }), logger, storeRetryMs: 0 });
    const charge = [{ budget: "user", subject: "user-offline" }] as const;
    expect(await consumeTimes(limits, 3, charge)).toEqual(["allowed", "allowed", "allowed"]);
    expect((await limits.consume(charge)).kind).toBe("limited");
    const warnings = lines.filter((line) => line.includes("rate-limit table unreachable"));
    expect(warnings).toHaveLength(1);
  });

  it("uses the migrated table and never creates one itself", async () => {
    const other = await createTestDatabase();
    try {
      await other.db.$executeRawUnsafe(`DROP TABLE "RateLimit"`);
      const otherPool = createRateLimitPool(other.url);
      pools.push(otherPool);
      const { logger, lines } = capture();
      const limits = createRateLimits({ pool: otherPool, budgets: budgets({ user: 5 }), logger });
      expect((await limits.consume([{ budget: "user", subject: "u" }])).kind).toBe("allowed");
      expect(lines.some((line) => line.includes("rate-limit table unreachable"))).toBe(true);
      const tables = await other.db.$queryRaw<{ n: bigint }[]>`
        SELECT count(*) AS n FROM information_schema.tables WHERE table_name = 'RateLimit'`;
      expect(Number(tables[0]?.n)).toBe(0);
    } finally {
      await other.drop();
    }
  });
});
