import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

type Secrets = { nextAuthSecret: string; tokenEncryptionKey: string; eventsSecret: string };

const fileOf = (dataDir: string) => path.join(dataDir, "secrets.json");

/** The secrets a quick start generated into this data folder, if it did. */
export function readStoredSecrets(dataDir: string): Secrets | null {
  const file = fileOf(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Secrets) : null;
}

/**
 * Secrets the operator did not configure are generated once and kept in the data folder (mode 600),
 * so sessions and encrypted tokens stay valid across restarts. For the quick start and explicit demos
 * only (lib/config/real-instance.ts): a real instance must not depend on one machine's disk.
 */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  const stored = readStoredSecrets(dataDir);
  if (stored) return stored;
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    nextAuthSecret: randomBytes(32).toString("base64"),
    tokenEncryptionKey: randomBytes(32).toString("base64"),
    eventsSecret: randomBytes(24).toString("base64url"),
  };
  writeFileSync(fileOf(dataDir), JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
