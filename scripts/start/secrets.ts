import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

type Secrets = { nextAuthSecret: string; tokenEncryptionKey: string; eventsSecret: string };

/**
 * Secrets the operator did not configure are generated once and kept in the data folder (mode 600),
 * so sessions and encrypted tokens stay valid across restarts.
 */
export function loadOrCreateSecrets(dataDir: string): Secrets {
  const file = path.join(dataDir, "secrets.json");
  if (existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as Secrets;
  mkdirSync(dataDir, { recursive: true });
  const secrets: Secrets = {
    nextAuthSecret: randomBytes(32).toString("base64"),
    tokenEncryptionKey: randomBytes(32).toString("base64"),
    eventsSecret: randomBytes(24).toString("base64url"),
  };
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}
