import "server-only";
import { env } from "@/lib/env";

// Shared by next-auth's options and by our own session lookup, so both agree on every value.

export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
/** A session is extended (to SESSION_MAX_AGE_S from now) at most once per this interval. */
export const SESSION_UPDATE_AGE_S = 24 * 3600;
/** next-auth's default: secure cookies exactly when the app is served over https. */
export const SECURE_COOKIES = env.NEXTAUTH_URL?.startsWith("https://") ?? false;
/** next-auth's default name for the database session cookie under SECURE_COOKIES. */
export const SESSION_COOKIE = `${SECURE_COOKIES ? "__Secure-" : ""}next-auth.session-token`;
