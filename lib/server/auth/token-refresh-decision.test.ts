import { describe, expect, it } from "vitest";
import { REFRESH_MARGIN_S, tokenDecision } from "./token-refresh-decision";

const now = 1_800_000_000;
const expiring = { hasRefreshToken: true, refreshExpiresAt: now + 180 * 86_400 };

describe("when a stored user token is renewed", () => {
  it("uses a token without expiry (an OAuth App's) as is", () => {
    expect(tokenDecision({ expiresAt: null, hasRefreshToken: false, refreshExpiresAt: null }, now)).toBe("use");
  });

  it("uses a token with more than the margin left, renews one within it or past it", () => {
    expect(tokenDecision({ ...expiring, expiresAt: now + REFRESH_MARGIN_S + 1 }, now)).toBe("use");
    expect(tokenDecision({ ...expiring, expiresAt: now + REFRESH_MARGIN_S }, now)).toBe("refresh");
    expect(tokenDecision({ ...expiring, expiresAt: now + 10 }, now)).toBe("refresh");
    expect(tokenDecision({ ...expiring, expiresAt: now - 3600 }, now)).toBe("refresh");
  });

  it("ends a sign-in whose refresh token has run out, or that has none and has expired", () => {
    expect(tokenDecision({ expiresAt: now - 1, hasRefreshToken: true, refreshExpiresAt: now }, now)).toBe("ended");
    expect(tokenDecision({ expiresAt: now - 1, hasRefreshToken: false, refreshExpiresAt: null }, now)).toBe("ended");
    // Without a refresh token, a token still valid is used to its end.
    expect(tokenDecision({ expiresAt: now + 60, hasRefreshToken: false, refreshExpiresAt: null }, now)).toBe("use");
  });
});
