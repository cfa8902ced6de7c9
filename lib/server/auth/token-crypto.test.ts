import { createCipheriv, randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  createKeyring,
  decryptToken,
  encryptToken,
  isSealedWithCurrentKey,
  type TokenSlot,
} from "@/lib/server/auth/token-crypto";

const newKey = () => randomBytes(32).toString("base64");
const oldKey = newKey();
const currentKey = newKey();
const keyring = createKeyring(currentKey, [oldKey]);
const slot: TokenSlot = { column: "access_token", provider: "github", providerAccountId: "583231" };

/** A token as the first version stored it: `v1.<iv>.<tag>.<data>`, no key id, no associated data. */
function sealV1(plain: string, base64Key: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", Buffer.from(base64Key, "base64"), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv, cipher.getAuthTag(), data]
    .map((p) => (typeof p === "string" ? p : p.toString("base64url")))
    .join(".");
}

const withPart = (stored: string, index: number, change: (part: Buffer) => Buffer) =>
  stored
    .split(".")
    .map((part, i) => (i === index ? change(Buffer.from(part, "base64url")).toString("base64url") : part))
    .join(".");

describe("token encryption", () => {
  it("round-trips, names its key and never stores the token in the clear", () => {
    const stored = encryptToken("gho_secretToken123", keyring, slot);
    expect(stored).not.toContain("gho_secretToken123");
    expect(stored.split(".")).toHaveLength(5);
    expect(stored.startsWith(`v2.${keyring.current.id}.`)).toBe(true);
    expect(decryptToken(stored, keyring, slot)).toBe("gho_secretToken123");
    expect(isSealedWithCurrentKey(stored, keyring)).toBe(true);
  });

  it("uses a fresh IV each time", () => {
    expect(encryptToken("same", keyring, slot)).not.toBe(encryptToken("same", keyring, slot));
  });

  it("seals with the newest key and opens with every configured one", () => {
    const underOld = encryptToken("gho_old", createKeyring(oldKey), slot);
    expect(decryptToken(underOld, keyring, slot)).toBe("gho_old");
    expect(isSealedWithCurrentKey(underOld, keyring)).toBe(false);
    // Rotated again: the key that sealed is gone from the configuration, so the token no longer opens.
    expect(decryptToken(underOld, createKeyring(newKey(), [currentKey]), slot)).toBeNull();
    // Key ids are derived from the keys: the same key always has the same id, different keys differ.
    expect(createKeyring(oldKey).current.id).toBe(keyring.all[1]?.id);
    expect(keyring.all.map((k) => k.id)).toEqual([
      createKeyring(currentKey).current.id,
      createKeyring(oldKey).current.id,
    ]);
  });

  it("still opens the first format, under any configured key", () => {
    expect(decryptToken(sealV1("gho_fromV1", oldKey), keyring, slot)).toBe("gho_fromV1");
    expect(decryptToken(sealV1("gho_fromV1", currentKey), keyring, slot)).toBe("gho_fromV1");
    expect(decryptToken(sealV1("gho_fromV1", newKey()), keyring, slot)).toBeNull();
    expect(isSealedWithCurrentKey(sealV1("gho_fromV1", currentKey), keyring)).toBe(false);
  });

  it("binds a ciphertext to its row and column: moved anywhere else it does not open", () => {
    const stored = encryptToken("gho_ada", keyring, slot);
    expect(decryptToken(stored, keyring, { ...slot, providerAccountId: "583232" })).toBeNull();
    expect(decryptToken(stored, keyring, { ...slot, provider: "gitlab" })).toBeNull();
    expect(decryptToken(stored, keyring, { ...slot, column: "refresh_token" })).toBeNull();
    // No ambiguity from separators inside the values.
    const odd = { ...slot, provider: "git.hub", providerAccountId: "1" };
    expect(
      decryptToken(encryptToken("x", keyring, odd), keyring, { ...odd, provider: "git", providerAccountId: "hub.1" }),
    ).toBeNull();
  });

  it("refuses a truncated tag, in both formats", () => {
    const v2 = encryptToken("gho_abc", keyring, slot);
    const v1 = sealV1("gho_abc", currentKey);
    for (const [stored, tagIndex] of [
      [v2, 3],
      [v1, 2],
    ] as const) {
      for (const length of [15, 12, 8, 4]) {
        expect(
          decryptToken(
            withPart(stored, tagIndex, (tag) => tag.subarray(0, length)),
            keyring,
            slot,
          ),
        ).toBeNull();
      }
    }
  });

  it("rejects an altered ciphertext, a changed key id and unknown formats", () => {
    const stored = encryptToken("gho_abc", keyring, slot);
    expect(
      decryptToken(
        withPart(stored, 4, (data) => Buffer.from(data.map((b, i) => (i === 0 ? b ^ 1 : b)))),
        keyring,
        slot,
      ),
    ).toBeNull();
    // Pointing the id at the other configured key does not help: the id is part of the associated data too.
    expect(decryptToken(stored.replace(keyring.current.id, keyring.all[1]?.id ?? ""), keyring, slot)).toBeNull();
    expect(decryptToken(stored.replace("v2.", "v3."), keyring, slot)).toBeNull();
    expect(decryptToken("gho_plaintext", keyring, slot)).toBeNull();
    expect(decryptToken("v2.a.b.c", keyring, slot)).toBeNull();
    expect(decryptToken("v2.a.b.c.d.e", keyring, slot)).toBeNull();
    expect(decryptToken("v2.!!.b.c.d", keyring, slot)).toBeNull();
  });

  it("refuses a key of the wrong size", () => {
    expect(() => createKeyring(randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
    expect(() => createKeyring(currentKey, [randomBytes(31).toString("base64")])).toThrow(/32 bytes/);
  });
});
