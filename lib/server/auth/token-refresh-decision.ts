// Whether a stored GitHub user token can be used as is, must be renewed first, or can no longer be renewed.
// GitHub App user tokens last 8 hours and come with a refresh token that lasts 6 months; OAuth App tokens (and App
// tokens with expiry turned off) carry no expiry and are used until GitHub refuses them.

/** Renewed this long before it runs out, so no request carries a token that expires on the way. */
export const REFRESH_MARGIN_S = 5 * 60;

export interface StoredTokenTimes {
  /** When the access token runs out (epoch seconds), or null when it does not. */
  expiresAt: number | null;
  hasRefreshToken: boolean;
  /** When the refresh token runs out (epoch seconds), or null when not known. */
  refreshExpiresAt: number | null;
}

export type TokenDecision = "use" | "refresh" | "ended";

export function tokenDecision(token: StoredTokenTimes, nowS: number, marginS = REFRESH_MARGIN_S): TokenDecision {
  if (token.expiresAt === null) return "use";
  if (token.expiresAt - nowS > marginS) return "use";
  if (!token.hasRefreshToken) return token.expiresAt > nowS ? "use" : "ended";
  if (token.refreshExpiresAt !== null && token.refreshExpiresAt <= nowS) return "ended";
  return "refresh";
}
