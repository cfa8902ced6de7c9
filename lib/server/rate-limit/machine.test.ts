import { Writable } from "node:stream";
import type pg from "pg";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { RateLimits } from "@/lib/server/rate-limit/limiter";
import type * as StoreModule from "@/lib/server/rate-limit/store";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

const SECRET = "events-secret-for-tests-0123";
const state = vi.hoisted(() => {
  // Read by lib/env when the route module loads.
  process.env.EVENTS_SECRET = "events-secret-for-tests-0123";
  return { limits: null as RateLimits | null };
});
vi.mock("@/lib/server/rate-limit/store", async (importOriginal) => ({
  ...(await importOriginal<typeof StoreModule>()),
  appRateLimits: () => state.limits,
}));

const { POST } = await import("@/app/api/events/codepipeline/route");
const { createLogger } = await import("@/lib/server/logger");
const { budgetsFrom } = await import("@/lib/server/rate-limit/budgets");
const { createRateLimits } = await import("@/lib/server/rate-limit/limiter");
const { createRateLimitPool } = await import("@/lib/server/rate-limit/store");
const { CODEPIPELINE_EVENTS, limitEventsSender } = await import("@/lib/server/rate-limit/machine");

const silent = createLogger(new Writable({ write: (_c, _e, done) => done() }));

const post = (secret: string | null, body = "") =>
  POST(
    new Request("http://localhost/api/events/codepipeline", {
      method: "POST",
      headers: secret === null ? {} : { "x-stageboard-events-secret": secret },
      body,
    }),
  );

describe("machine endpoints are limited only after authentication", () => {
  let database: TestDatabase;
  let pool: pg.Pool;
  const eventRows = () => database.db.rateLimit.findMany({ where: { key: { startsWith: "events:" } } });

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = createRateLimitPool(database.url);
    state.limits = createRateLimits({
      pool,
      budgets: budgetsFrom({
        RATE_LIMIT_USER_PER_MINUTE: 0,
        RATE_LIMIT_IP_PER_MINUTE: 0,
        RATE_LIMIT_EVENTS_PER_MINUTE: 2,
      }),
      logger: silent,
    });
  });
  afterAll(async () => {
    await pool.end();
    await database.drop();
  });

  it("POST /api/events/codepipeline: wrong or missing secrets are refused without touching the budget", async () => {
    for (const secret of [null, "", "wrong-secret-wrong-secret", `${SECRET}x`]) {
      expect((await post(secret)).status).toBe(401);
    }
    expect(await eventRows()).toEqual([]);
  });

  it("POST /api/events/codepipeline: the sender's requests count once authenticated, then 429 with Retry-After", async () => {
    // An empty body is refused by the handler (400), after the budget has been charged.
    expect((await post(SECRET)).status).toBe(400);
    expect((await post(SECRET)).status).toBe(400);
    const limited = await post(SECRET, "[]");
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: "rate_limited" } });
    expect(await eventRows()).toEqual([expect.objectContaining({ key: "events:codepipeline" })]);
    // Still refused, and still not charged, without the secret.
    expect((await post("wrong-secret-wrong-secret")).status).toBe(401);
  });

  it("limitEventsSender charges nothing when events are off", async () => {
    const consume = vi.fn<RateLimits["consume"]>(() => Promise.resolve({ kind: "allowed" }));
    const headers = new Headers({ "x-stageboard-events-secret": SECRET });
    const config = { secret: undefined, header: "x-stageboard-events-secret", limits: { consume } };
    expect(await limitEventsSender(headers, config)).toBeNull();
    expect(consume).not.toHaveBeenCalled();
    expect(await limitEventsSender(headers, { ...config, secret: SECRET })).toBeNull();
    expect(consume).toHaveBeenCalledWith([CODEPIPELINE_EVENTS]);
  });
});
