import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createKeyring } from "@/lib/server/auth/token-crypto";
import { openCredential, sealCredential } from "./credential-box";

const key = () => randomBytes(32).toString("base64");

describe("sealed App credentials", () => {
  const keyring = createKeyring(key());
  const slot = { column: "privateKey", appId: 300001 } as const;

  it("open with the keyring for their own App and column only", () => {
    const sealed = sealCredential(keyring, "-----BEGIN RSA PRIVATE KEY-----…", slot);
    expect(sealed).not.toContain("PRIVATE KEY");
    expect(openCredential(keyring, sealed, slot)).toBe("-----BEGIN RSA PRIVATE KEY-----…");
    expect(openCredential(keyring, sealed, { ...slot, appId: 300002 })).toBeNull();
    expect(openCredential(keyring, sealed, { ...slot, column: "webhookSecret" })).toBeNull();
  });

  it("open after a key rotation that keeps the old key, not with a stranger's key, not when altered", () => {
    const old = key();
    const sealed = sealCredential(createKeyring(old), "secret", slot);
    expect(openCredential(createKeyring(key(), [old]), sealed, slot)).toBe("secret");
    expect(openCredential(createKeyring(key()), sealed, slot)).toBeNull();
    const parts = sealed.split(".");
    parts[4] = Buffer.from("tampered").toString("base64url");
    expect(openCredential(createKeyring(old), parts.join("."), slot)).toBeNull();
    expect(openCredential(createKeyring(old), "v1.x.y.z", slot)).toBeNull();
  });
});
