import "server-only";
import { env } from "@/lib/env";
import type { UrlPolicy } from "@/lib/server/notify/url-policy";

/** Stageboard's public address, the base of every deep link a notification carries. */
export function publicBaseUrl(): string {
  return env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`;
}

export function urlPolicy(): UrlPolicy {
  return { allowPrivate: env.NOTIFY_ALLOW_PRIVATE_URLS };
}
