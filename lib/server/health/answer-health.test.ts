import { randomBytes } from "node:crypto";
import { createServer, type AddressInfo, type Socket } from "node:net";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import { loadSessionViewer } from "@/lib/server/auth/load-session-viewer";
import { createDb, type Db } from "@/lib/server/db/client";
import { answerHealth, bearerToken } from "@/lib/server/health/answer-health";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

const TOKEN = "health-token-0123456789abcdef";
const ACCOUNT = "111122223333";

describe("GET /api/health's answer", () => {
  let database: TestDatabase;
  const ask = (over: Partial<Parameters<typeof answerHealth>[0]> = {}) =>
    answerHealth({
      db: database.db,
      authorization: null,
      healthToken: TOKEN,
      isAdmin: () => Promise.resolve(false),
      ...over,
    });

  async function sessionOf(isAdmin: boolean): Promise<string> {
    const user = await database.db.user.create({
      data: {
        githubId: BigInt(Math.floor(Math.random() * 1e9)),
        login: `user-${randomBytes(3).toString("hex")}`,
        isAdmin,
        reposFetchedAt: new Date(),
      },
    });
    const token = randomBytes(32).toString("base64url");
    await database.db.session.create({
      data: { tokenHash: hashSessionToken(token), userId: user.id, expires: new Date(Date.now() + 86_400_000) },
    });
    return token;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db.target.create({
      data: { id: `${ACCOUNT}-eu-west-1-vpce`, accountId: ACCOUNT, region: "eu-west-1", lastSuccessAt: new Date() },
    });
  });
  afterAll(() => database?.drop());

  it("tells anyone the status alone: no accounts, regions, hosts or migrations", async () => {
    const answer = await ask();
    expect(answer).toEqual({ status: 200, body: { status: "ok" } });
    // A wrong token, a token where none is configured, or another scheme: the same public answer.
    for (const over of [
      { authorization: "Bearer not-the-token-0123456789" },
      { authorization: `Bearer ${TOKEN}`, healthToken: undefined },
      { authorization: `Basic ${TOKEN}` },
      { authorization: `Bearer ${TOKEN}x` },
    ])
      expect((await ask(over)).body).toEqual({ status: "ok" });
  });

  it("stays 200 with only the status when degraded", async () => {
    await database.db.target.create({ data: { id: "never-synced", accountId: ACCOUNT, region: "us-east-1" } });
    try {
      expect(await ask()).toEqual({ status: 200, body: { status: "degraded" } });
    } finally {
      await database.db.target.delete({ where: { id: "never-synced" } });
    }
  });

  it("gives the details to a HEALTH_TOKEN bearer", async () => {
    const answer = await ask({ authorization: `Bearer ${TOKEN}` });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      status: "ok",
      database: { reachable: true },
      migrations: { current: true, pending: [] },
      targets: [expect.objectContaining({ id: `${ACCOUNT}-eu-west-1-vpce`, stale: false })],
    });
    expect(bearerToken(`bearer ${TOKEN}`)).toBe(TOKEN);
    expect(bearerToken(`Bearer ${TOKEN} extra`)).toBeNull();
  });

  it("gives the details to a signed-in administrator only", async () => {
    const admin = await sessionOf(true);
    const reader = await sessionOf(false);
    const viaSession = (token: string) => () =>
      loadSessionViewer(database.db, token).then((viewer) => viewer?.isAdmin === true);
    expect((await ask({ isAdmin: viaSession(admin) })).body).toMatchObject({ targets: [expect.anything()] });
    expect((await ask({ isAdmin: viaSession(reader) })).body).toEqual({ status: "ok" });
    expect((await ask({ isAdmin: viaSession("forged") })).body).toEqual({ status: "ok" });
    // A session that cannot be read (or not in time) is no session.
    expect((await ask({ isAdmin: () => Promise.reject(new Error("db down")) })).body).toEqual({ status: "ok" });
    const slow = performance.now();
    const hanging = await ask({ isAdmin: () => new Promise<boolean>(() => {}), timeoutMs: 200 });
    expect(hanging.body).toEqual({ status: "ok" });
    expect(performance.now() - slow).toBeLessThan(2_000);
  });

  it("answers 503 with no error text when the database is unreachable", async () => {
    const unreachable = createDb("postgresql://nobody:nothing@127.0.0.1:1/none", 1);
    try {
      expect(await ask({ db: unreachable })).toEqual({ status: 503, body: { status: "down" } });
      const details = await ask({ db: unreachable, authorization: `Bearer ${TOKEN}` });
      expect(details.body).toMatchObject({ status: "down", database: { reachable: false } });
      expect(JSON.stringify(details.body)).not.toMatch(/ECONNREFUSED|127\.0\.0\.1|nobody/);
    } finally {
      await unreachable.$disconnect();
    }
  });

  it("answers 503 within 5 s when the database accepts connections and never answers", async () => {
    const sockets: Socket[] = [];
    const mute = createServer((socket) => void sockets.push(socket));
    await new Promise<void>((resolve) => mute.listen(0, "127.0.0.1", resolve));
    const stalled: Db = createDb(`postgresql://stageboard@127.0.0.1:${(mute.address() as AddressInfo).port}/x`, 1);
    try {
      const started = performance.now();
      expect(await ask({ db: stalled })).toEqual({ status: 503, body: { status: "down" } });
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await stalled.$disconnect();
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => mute.close(resolve));
    }
  });

  it("answers 503 within 5 s when the database answers a ping but its reads stall behind a lock", async () => {
    const holder = new pg.Client({ connectionString: database.url });
    await holder.connect();
    try {
      await holder.query(`BEGIN; LOCK TABLE "Target" IN ACCESS EXCLUSIVE MODE`);
      const started = performance.now();
      const answer = await ask({ authorization: `Bearer ${TOKEN}` });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(answer.status).toBe(503);
      expect(answer.body).toMatchObject({ status: "down", database: { reachable: true } });
      expect((answer.body as { database: { error?: string } }).database.error).toMatch(/^sync state: no answer/);
    } finally {
      await holder.query("ROLLBACK");
      await holder.end();
    }
    expect((await ask()).status).toBe(200);
  });
});
