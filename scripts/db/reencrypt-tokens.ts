// Re-seals every stored GitHub token with TOKEN_ENCRYPTION_KEY in the current format (key id, row-bound),
// reporting counts. Rotate a key by moving the old one to TOKEN_ENCRYPTION_PREVIOUS_KEYS, setting the new
// one, restarting the app (it opens both), running this, then dropping the old key. Safe to re-run and to
// run while the app serves.
//   node --conditions=react-server --import tsx scripts/db/reencrypt-tokens.ts
import "dotenv/config";
import { ConfigError } from "@/lib/config/schema";
import { resolveDatabase } from "@/lib/server/db/resolve-database";
import { readConfig } from "../start/config";
import { readStoredSecrets } from "../start/secrets";

function keysOrExit() {
  try {
    const config = readConfig();
    // The quick start keeps its generated key in the data folder (npm start passes it to the app).
    const current = config.TOKEN_ENCRYPTION_KEY ?? readStoredSecrets(config.STAGEBOARD_DATA_DIR)?.tokenEncryptionKey;
    if (!current)
      throw new ConfigError(
        "Invalid configuration: TOKEN_ENCRYPTION_KEY is required to re-encrypt tokens, e.g. the output of `openssl rand -base64 32`",
      );
    return { config, current, previous: config.TOKEN_ENCRYPTION_PREVIOUS_KEYS };
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Could not re-encrypt: ${String(error)}`);
    process.exit(1);
  }
}

const { config, current, previous } = keysOrExit();
const database = await resolveDatabase({ databaseUrl: config.DATABASE_URL, dataDir: config.STAGEBOARD_DATA_DIR });
const [{ createDb }, { createKeyring }, { reencryptTokens }, { resealWebhooks }] = await Promise.all([
  import("@/lib/server/db/client"),
  import("@/lib/server/auth/token-crypto"),
  import("@/lib/server/auth/reencrypt-tokens"),
  import("@/lib/server/notify/reseal-webhooks"),
]);
const db = createDb(database.url, 2);
try {
  const counts = await reencryptTokens(db, createKeyring(current, previous));
  console.log(
    `Tokens: ${counts.reencrypted} re-encrypted, ${counts.alreadyCurrent} already under the newest key, ` +
      `${counts.unreadable} unreadable with the configured keys (left as they are; those users sign in again), ` +
      `${counts.changedMeanwhile} replaced by a sign-in meanwhile; ${counts.scanned} read.`,
  );
  // Notification webhook URLs and signing secrets are sealed under the same keys.
  const webhooks = await resealWebhooks(db, createKeyring(current, previous));
  console.log(
    `Webhook URLs and secrets: ${webhooks.resealed} re-encrypted, ${webhooks.alreadyCurrent} already under the ` +
      `newest key, ${webhooks.unreadable} unreadable (save those webhooks again); ${webhooks.scanned} read.`,
  );
} finally {
  await db.$disconnect();
  await database.stop();
}
