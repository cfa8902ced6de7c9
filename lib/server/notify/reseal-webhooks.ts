import "server-only";
import { isSealedWithCurrentKey, type TokenKeyring } from "@/lib/server/auth/token-crypto";
import type { Db } from "@/lib/server/db/client";
import { openWith, sealWith, type WebhookSlot } from "@/lib/server/notify/secret-box";

// Key rotation for webhook URLs and secrets, run by `npm run db:reencrypt` beside the GitHub tokens: each value
// not yet sealed with the sealing key is opened with any configured key and sealed again, only if it is still
// the value that was read (an edit meanwhile wrote one sealed with the new key already). Safe to re-run.

export type ResealCounts = { scanned: number; resealed: number; alreadyCurrent: number; unreadable: number };

export async function resealWebhooks(db: Db, keyring: TokenKeyring): Promise<ResealCounts> {
  const counts: ResealCounts = { scanned: 0, resealed: 0, alreadyCurrent: 0, unreadable: 0 };
  const webhooks = await db.notifyWebhook.findMany({ select: { id: true, urlSealed: true, secretSealed: true } });
  for (const webhook of webhooks) {
    const values = [
      { column: "url", stored: webhook.urlSealed },
      { column: "secret", stored: webhook.secretSealed },
    ] as const;
    for (const { column, stored } of values) {
      if (!stored) continue;
      counts.scanned++;
      if (isSealedWithCurrentKey(stored, keyring)) {
        counts.alreadyCurrent++;
        continue;
      }
      const slot: WebhookSlot = { column, webhookId: webhook.id };
      const plain = openWith(keyring, stored, slot);
      if (plain === null) {
        counts.unreadable++;
        continue;
      }
      const field = column === "url" ? "urlSealed" : "secretSealed";
      const { count } = await db.notifyWebhook.updateMany({
        where: { id: webhook.id, [field]: stored },
        data: { [field]: sealWith(keyring, plain, slot) },
      });
      if (count === 1) counts.resealed++;
    }
  }
  return counts;
}
