import "server-only";
import { db } from "@/lib/server/db/client";
import type { DeliverOptions } from "@/lib/server/notify/deliver";
import { urlPolicy } from "@/lib/server/notify/settings";

/** What the webhook routes send with: the app's database and the configured URL policy. */
export function routeDeliverOptions(): DeliverOptions {
  return { db, policy: urlPolicy() };
}
