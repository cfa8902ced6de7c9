import "server-only";
import { env } from "@/lib/env";

// Shared by next-auth's options and by our own session lookup, so both agree on every value.

/** Sliding lifetime: a session unused for this long ends (next-auth's maxAge). */
export const SESSION_MAX_AGE_S = 7 * 24 * 3600;
/** A session is extended (to SESSION_MAX_AGE_S from now) at most once per this interval. */
export const SESSION_UPDATE_AGE_S = 24 * 3600;
/**
 * Absolute lifetime, counted from sign-in: however often a session is used, it ends this long after it
 * began, so a stolen cookie (or a forgotten shared computer) cannot be kept alive forever by use.
 */
export const SESSION_ABSOLUTE_MAX_AGE_S = env.SESSION_MAX_AGE_DAYS * 24 * 3600;
/** next-auth's default: secure cookies exactly when the app is served over https. */
export const SECURE_COOKIES = env.NEXTAUTH_URL?.startsWith("https://") ?? false;
/** next-auth's default name for the database session cookie under SECURE_COOKIES. */
export const SESSION_COOKIE = `${SECURE_COOKIES ? "__Secure-" : ""}next-auth.session-token`;

export type SessionLifetimes = { slidingS: number; updateAgeS: number; absoluteS: number };

export const SESSION_LIFETIMES: SessionLifetimes = {
  slidingS: SESSION_MAX_AGE_S,
  updateAgeS: SESSION_UPDATE_AGE_S,
  absoluteS: SESSION_ABSOLUTE_MAX_AGE_S,
};

export type SessionVerdict =
  /** Past its sliding expiry or its absolute lifetime: delete it and sign out. */
  | { kind: "ended"; reason: "expired" | "absolute-lifetime" }
  /** Valid; `extendTo` is the new expiry when it is due to be extended (next-auth's updateAge rule). */
  | { kind: "valid"; expires: Date; extendTo: Date | null };

/** The latest a session may expire: its absolute lifetime's end. */
export const absoluteEnd = (createdAt: Date, lifetimes: SessionLifetimes = SESSION_LIFETIMES): Date =>
  new Date(createdAt.getTime() + lifetimes.absoluteS * 1000);

/**
 * next-auth's database-session rules (core/routes/session.js) plus the absolute lifetime: one decision
 * for both our one-query loader and the adapter next-auth itself calls.
 */
export function judgeSession(
  session: { expires: Date; createdAt: Date },
  now: number,
  lifetimes: SessionLifetimes = SESSION_LIFETIMES,
): SessionVerdict {
  const end = absoluteEnd(session.createdAt, lifetimes).getTime();
  if (end <= now) return { kind: "ended", reason: "absolute-lifetime" };
  if (session.expires.getTime() < now) return { kind: "ended", reason: "expired" };
  const expires = new Date(Math.min(session.expires.getTime(), end));
  const dueAt = session.expires.getTime() - lifetimes.slidingS * 1000 + lifetimes.updateAgeS * 1000;
  const extendTo = dueAt <= now ? new Date(Math.min(now + lifetimes.slidingS * 1000, end)) : null;
  // Near the absolute end the extension can be the expiry already stored: nothing to write then.
  return { kind: "valid", expires, extendTo: extendTo?.getTime() === session.expires.getTime() ? null : extendTo };
}
