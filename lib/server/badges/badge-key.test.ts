import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/server/auth/token-crypto";
import { badgeKeyMatches, hashBadgeKey, newBadgeKey, openBadgeKeyWith, sealBadgeKeyWith } from "./badge-key";

const base64Key = () => randomBytes(32).toString("base64");

describe("badge keys", () => {
  it("are 256 random bits, new every time", () => {
    const keys = new Set(Array.from({ length: 50 }, newBadgeKey));
    expect(keys.size).toBe(50);
    for (const key of keys) {
      expect(key).toMatch(/^sbk_[A-Za-z0-9_-]{43}$/);
      expect(Buffer.from(key.slice(4), "base64url")).toHaveLength(32);
    }
  });

  it("match only the key whose hash is stored; nothing matches a repository without one", () => {
    const key = newBadgeKey();
    const stored = hashBadgeKey(key);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(badgeKeyMatches(key, stored)).toBe(true);
    expect(badgeKeyMatches(newBadgeKey(), stored)).toBe(false);
    expect(badgeKeyMatches(`${key} `, stored)).toBe(false);
    expect(badgeKeyMatches("", stored)).toBe(false);
    expect(badgeKeyMatches(key, null)).toBe(false);
    expect(badgeKeyMatches("", hashBadgeKey(""))).toBe(false);
    expect(badgeKeyMatches(key, "not-a-hash")).toBe(false);
  });

  it("are sealed for their repository: another repository's row, another key or an altered seal opens nothing", () => {
    const keyring = createKeyring(base64Key());
    const key = newBadgeKey();
    const sealed = sealBadgeKeyWith(keyring, key, 42n);
    expect(sealed).not.toContain(key);
    expect(openBadgeKeyWith(keyring, sealed, 42n)).toBe(key);
    expect(openBadgeKeyWith(keyring, sealed, 43n)).toBeNull();
    expect(openBadgeKeyWith(createKeyring(base64Key()), sealed, 42n)).toBeNull();
    const parts = sealed.split(".");
    const data = Buffer.from(parts[4] ?? "", "base64url");
    data[0] = (data[0] ?? 0) ^ 1;
    expect(openBadgeKeyWith(keyring, [...parts.slice(0, 4), data.toString("base64url")].join("."), 42n)).toBeNull();
    expect(openBadgeKeyWith(keyring, "v1.x.y.z", 42n)).toBeNull();
  });

  it("still open after the sealing key is rotated, while the old one is kept among the previous keys", () => {
    const old = base64Key();
    const sealed = sealBadgeKeyWith(createKeyring(old), "sbk_k", 7n);
    expect(openBadgeKeyWith(createKeyring(base64Key(), [old]), sealed, 7n)).toBe("sbk_k");
  });
});
