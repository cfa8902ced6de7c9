import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decryptToken, encryptToken } from "@/lib/server/auth/token-crypto";

const key = randomBytes(32).toString("base64");

describe("token encryption", () => {
  it("round-trips and never stores the token in the clear", () => {
    const stored = encryptToken("gho_secretToken123", key);
    expect(stored).not.toContain("gho_secretToken123");
    expect(stored.startsWith("v1.")).toBe(true);
    expect(decryptToken(stored, key)).toBe("gho_secretToken123");
  });

  it("uses a fresh IV each time", () => {
    expect(encryptToken("same", key)).not.toBe(encryptToken("same", key));
  });

  it("rejects a different key, altered ciphertext and unknown formats", () => {
    const stored = encryptToken("gho_abc", key);
    expect(decryptToken(stored, randomBytes(32).toString("base64"))).toBeNull();
    const parts = stored.split(".");
    const data = Buffer.from(parts[3] ?? "", "base64url");
    data[0] = (data[0] ?? 0) ^ 1;
    expect(decryptToken([parts[0], parts[1], parts[2], data.toString("base64url")].join("."), key)).toBeNull();
    expect(decryptToken("gho_plaintext", key)).toBeNull();
  });

  it("refuses a key of the wrong size", () => {
    expect(() => encryptToken("x", randomBytes(16).toString("base64"))).toThrow(/32 bytes/);
  });
});
