import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getHealth } from "@/lib/server/health/get-health";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

describe("getHealth", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.drop());

  it("is ok with current migrations and fresh targets, and reports each target's age", async () => {
    const now = Date.now();
    await database.db.target.create({
      data: { id: "prod", accountId: "111122223333", region: "eu-west-1", lastSuccessAt: new Date(now - 4_000) },
    });
    const health = await getHealth({ db: database.db, now });
    expect(health.status).toBe("ok");
    expect(health.migrations).toEqual({ current: true, pending: [] });
    expect(health.targets).toEqual([expect.objectContaining({ id: "prod", ageSeconds: 4, stale: false })]);
  });

  it("is degraded, not down, when a target's data is stale", async () => {
    const now = Date.now();
    await database.db.target.create({
      data: {
        id: "stale",
        accountId: "111122223333",
        region: "us-east-1",
        lastSuccessAt: new Date(now - 3_600_000),
        lastErrorAt: new Date(now - 1_000),
        lastError: "ThrottlingException: Rate exceeded",
      },
    });
    const health = await getHealth({ db: database.db, now });
    expect(health.status).toBe("degraded");
    expect(health.targets.find((t) => t.id === "stale")).toMatchObject({
      stale: true,
      ageSeconds: 3600,
      failing: true,
    });
    expect(JSON.stringify(health)).not.toContain("ThrottlingException");
  });

  it("is degraded while pipelines wait for a connections listing that fails, and names no error", async () => {
    const now = Date.now();
    const target = await database.db.target.create({
      data: {
        id: "denied",
        accountId: "111122223333",
        region: "us-west-2",
        lastSuccessAt: new Date(now - 1_000),
        connectionsError: "AccessDeniedException: not authorized to perform codestar-connections:ListConnections",
      },
    });
    const pipeline = {
      targetId: target.id,
      version: 1,
      sourceConnectionArn: "arn:aws:codestar-connections:us-west-2:111122223333:connection/x",
    };
    await database.db.pipeline.create({ data: { ...pipeline, name: "web" } });
    const health = await getHealth({ db: database.db, now });
    expect(health.targets.find((t) => t.id === "denied")).toMatchObject({
      stale: false,
      pipelinesAwaitingConnections: 1,
    });
    expect(health.status).toBe("degraded");
    expect(JSON.stringify(health)).not.toContain("AccessDenied");
    // Once the provider is known, nothing waits any more.
    await database.db.pipeline.updateMany({
      where: { targetId: target.id },
      data: { sourceConnectionProvider: "GitHub" },
    });
    expect((await getHealth({ db: database.db, now })).targets.find((t) => t.id === "denied")).toMatchObject({
      pipelinesAwaitingConnections: 0,
    });
  });

  it("is down when a migration on disk was not applied", async () => {
    const [latest] = await database.db.$queryRawUnsafe<{ migration_name: string }[]>(
      `SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`,
    );
    await database.db.$executeRawUnsafe(
      `DELETE FROM _prisma_migrations WHERE migration_name = $1`,
      latest?.migration_name,
    );
    const health = await getHealth({ db: database.db });
    expect(health.status).toBe("down");
    expect(health.migrations.pending).toEqual([latest?.migration_name]);
  });

  it("is down when the database cannot be reached, saying so in its own words", async () => {
    const { createDb } = await import("@/lib/server/db/client");
    const unreachable = createDb("postgresql://nobody:nothing@127.0.0.1:1/none", 1);
    const health = await getHealth({ db: unreachable });
    expect(health.status).toBe("down");
    expect(health.database).toEqual({ reachable: false, error: "database: query failed" });
    await unreachable.$disconnect();
  });
});
