import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/server/auth/token-crypto";
import { openWith, sealWith } from "@/lib/server/notify/secret-box";
import { resealWebhooks } from "@/lib/server/notify/reseal-webhooks";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";

// Rotating TOKEN_ENCRYPTION_KEY: webhook URLs and secrets move to the new key with the GitHub tokens.
let database: TestDatabase;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => database.drop());

describe("re-sealing webhook values", () => {
  it("moves values to the new key, leaves current ones, and bound values stay bound to their row", async () => {
    const oldKey = randomBytes(32).toString("base64");
    const newKey = randomBytes(32).toString("base64");
    const before = createKeyring(oldKey);
    const rotated = createKeyring(newKey, [oldKey]);
    const seal = (keyring: typeof before, plain: string, column: "url" | "secret", webhookId: string) =>
      sealWith(keyring, plain, { column, webhookId });
    await database.db.notifyWebhook.create({
      data: {
        id: "w1",
        repositoryGithubId: 1n,
        repositoryName: "acme/web-app",
        format: "json",
        urlSealed: seal(before, "https://hooks.example.com/a", "url", "w1"),
        urlHint: "h",
        secretSealed: seal(before, "secret-secret-secret-secret", "secret", "w1"),
        events: ["approval.waiting"],
        createdByLogin: "ada",
      },
    });
    await database.db.notifyWebhook.create({
      data: {
        id: "w2",
        repositoryGithubId: 1n,
        repositoryName: "acme/web-app",
        format: "slack",
        urlSealed: seal(rotated, "https://hooks.slack.com/b", "url", "w2"),
        urlHint: "h",
        events: ["approval.waiting"],
        createdByLogin: "ada",
      },
    });
    expect(await resealWebhooks(database.db, rotated)).toEqual({
      scanned: 3,
      resealed: 2,
      alreadyCurrent: 1,
      unreadable: 0,
    });
    const w1 = await database.db.notifyWebhook.findUniqueOrThrow({ where: { id: "w1" } });
    const onlyNew = createKeyring(newKey);
    expect(openWith(onlyNew, w1.urlSealed, { column: "url", webhookId: "w1" })).toBe("https://hooks.example.com/a");
    expect(openWith(onlyNew, w1.secretSealed ?? "", { column: "secret", webhookId: "w1" })).toBe(
      "secret-secret-secret-secret",
    );
    // Bound to row and column: another webhook's slot, or the other column, does not open it.
    expect(openWith(onlyNew, w1.urlSealed, { column: "url", webhookId: "w2" })).toBeNull();
    expect(openWith(onlyNew, w1.urlSealed, { column: "secret", webhookId: "w1" })).toBeNull();
    expect((await resealWebhooks(database.db, rotated)).resealed).toBe(0);
  });
});
