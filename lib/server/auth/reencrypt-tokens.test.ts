import { execFile } from "node:child_process";
import { createCipheriv, randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createKeyring,
  decryptToken,
  encryptToken,
  isSealedWithCurrentKey,
  type TokenSlot,
} from "@/lib/server/auth/token-crypto";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { reencryptTokens } from "./reencrypt-tokens";

// Key rotation against the real test database: tokens sealed under an old key (in both formats), one
// already current, and one no configured key opens.
const run = promisify(execFile);
const key = () => randomBytes(32).toString("base64");
const oldKey = key();
const currentKey = key();
const keyring = createKeyring(currentKey, [oldKey]);

function sealV1(plain: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), data.toString("base64url")].join(
    ".",
  );
}

const slot = (providerAccountId: string, column: TokenSlot["column"] = "access_token"): TokenSlot => ({
  column,
  provider: "github",
  providerAccountId,
});

let database: TestDatabase;
let unreadable = "";

async function account(id: string, access: string | null, refresh: string | null = null) {
  const user = await database.db.user.create({ data: { githubId: Number(id), login: `user-${id}` } });
  await database.db.account.create({
    data: {
      userId: user.id,
      type: "oauth",
      provider: "github",
      providerAccountId: id,
      access_token: access,
      refresh_token: refresh,
    },
  });
}

async function tokens() {
  const rows = await database.db.account.findMany({
    select: { providerAccountId: true, access_token: true, refresh_token: true },
    orderBy: { providerAccountId: "asc" },
  });
  return new Map(rows.map((row) => [row.providerAccountId, row]));
}

beforeAll(async () => {
  database = await createTestDatabase();
  const underOld = createKeyring(oldKey);
  await account("1", sealV1("gho_one", oldKey));
  await account(
    "2",
    encryptToken("gho_two", underOld, slot("2")),
    encryptToken("ghr_two", underOld, slot("2", "refresh_token")),
  );
  await account("3", encryptToken("gho_three", keyring, slot("3")));
  unreadable = encryptToken("gho_lost", createKeyring(key()), slot("4"));
  await account("4", unreadable);
  await account("5", null);
});

afterAll(async () => database?.drop());

describe("re-encrypting stored tokens", () => {
  it("re-seals every token under the newest key, bound to its row, and reports counts", async () => {
    const counts = await reencryptTokens(database.db, keyring, { batchSize: 2 });
    expect(counts).toEqual({ scanned: 5, reencrypted: 3, alreadyCurrent: 1, unreadable: 1, changedMeanwhile: 0 });
    const stored = await tokens();
    const opened = (id: string, column: TokenSlot["column"] = "access_token") => {
      const value = stored.get(id)?.[column] ?? "";
      expect(isSealedWithCurrentKey(value, keyring)).toBe(true);
      // Only the newest key is needed from now on: the old one can be dropped.
      return decryptToken(value, createKeyring(currentKey), slot(id, column));
    };
    expect(opened("1")).toBe("gho_one");
    expect(opened("2")).toBe("gho_two");
    expect(opened("2", "refresh_token")).toBe("ghr_two");
    expect(opened("3")).toBe("gho_three");
    expect(stored.get("4")?.access_token).toBe(unreadable);
    expect(stored.get("5")?.access_token).toBeNull();
  });

  it("is idempotent: a second run re-encrypts nothing and changes no row", async () => {
    const before = await tokens();
    const counts = await reencryptTokens(database.db, keyring);
    expect(counts).toEqual({ scanned: 5, reencrypted: 0, alreadyCurrent: 4, unreadable: 1, changedMeanwhile: 0 });
    expect(await tokens()).toEqual(before);
  });

  it("runs as a command with the configured keys and prints its counts", async () => {
    const rotated = key();
    const { stdout } = await run(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/db/reencrypt-tokens.ts"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          NODE_ENV: "production",
          DATABASE_URL: database.url,
          NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
          TOKEN_ENCRYPTION_KEY: rotated,
          TOKEN_ENCRYPTION_PREVIOUS_KEYS: `${currentKey}, ${oldKey}`,
          LOG_LEVEL: "silent",
        },
        timeout: 60_000,
      },
    );
    expect(stdout.trim()).toMatch(
      /^Tokens: 4 re-encrypted, 0 already under the newest key, 1 unreadable .*; 5 read\.\nWebhook URLs and secrets: 0 re-encrypted, .*; 0 read\.$/,
    );
    expect(decryptToken((await tokens()).get("1")?.access_token ?? "", createKeyring(rotated), slot("1"))).toBe(
      "gho_one",
    );
  });

  it("as a command, stops with one line when no key is configured", async () => {
    const failure = await run(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/db/reencrypt-tokens.ts"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          NODE_ENV: "production",
          DATABASE_URL: database.url,
          STAGEBOARD_DEMO: "true",
          STAGEBOARD_DATA_DIR: ".data/reencrypt-test-none",
        },
        timeout: 60_000,
      },
    ).catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr.trim()).toMatch(
      /^Invalid configuration: TOKEN_ENCRYPTION_KEY is required/,
    );
  });
});
