import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { handleApiError } from "@/lib/server/api/errors";
import { createDb } from "@/lib/server/db/client";
import { isDatabaseUnavailable } from "@/lib/server/db/unavailable";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// Real failures from a real driver: a closed port, a pool that stays full past its wait, a statement the
// server cancels. Each must read as "unavailable" (503), and an ordinary SQL error must not.

let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.drop());

async function failure(work: () => Promise<unknown>): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error("expected the work to fail");
}

describe("isDatabaseUnavailable", () => {
  test("a server that is not listening", async () => {
    const down = createDb("postgresql://stageboard:x@127.0.0.1:1/none", 1, { connectTimeoutMs: 500 });
    try {
      const error = await failure(() => down.user.count());
      expect(isDatabaseUnavailable(error)).toBe(true);
      const response = handleApiError(error);
      expect(response.status).toBe(503);
      expect(response.headers.get("retry-after")).toBe("5");
      expect(await response.json()).toEqual({
        error: { code: "service_unavailable", message: expect.stringMatching(/database/i) as unknown },
      });
    } finally {
      await down.$disconnect();
    }
  });

  test("a pool that stays full longer than the connect timeout", async () => {
    const small = createDb(database.url, 1, { connectTimeoutMs: 300 });
    try {
      let held!: () => void;
      const connectionTaken = new Promise<void>((resolve) => (held = resolve));
      const holding = small.$transaction(
        async (tx) => {
          await tx.$queryRawUnsafe("SELECT 1");
          held();
          await tx.$queryRawUnsafe("SELECT pg_sleep(1.5)::text");
        },
        { timeout: 10_000 },
      );
      await connectionTaken;
      const error = await failure(() => small.user.count());
      await holding;
      expect(isDatabaseUnavailable(error)).toBe(true);
    } finally {
      await small.$disconnect();
    }
  });

  test("a statement the server cancels at the statement timeout", async () => {
    const slow = createDb(database.url, 1, { statementTimeoutMs: 200 });
    try {
      const error = await failure(() => slow.$queryRawUnsafe("SELECT pg_sleep(2)"));
      expect(isDatabaseUnavailable(error)).toBe(true);
      expect(handleApiError(error).status).toBe(503);
    } finally {
      await slow.$disconnect();
    }
  });

  test("an ordinary SQL error is not an outage", async () => {
    const error = await failure(() => database.db.$queryRawUnsafe("SELECT * FROM no_such_table"));
    expect(isDatabaseUnavailable(error)).toBe(false);
    expect(handleApiError(error).status).toBe(500);
    expect(isDatabaseUnavailable(new Error("boom"))).toBe(false);
  });
});
