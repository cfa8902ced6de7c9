import { randomBytes } from "node:crypto";
import type { AppPermissions } from "./app-permissions";

/** A token acting as a user: an OAuth App's (`gho_`, never expires) or a GitHub App's (`ghu_`). */
export interface TokenRecord {
  token: string;
  /** The account's id: a token stays its account's across a rename, and never passes to whoever takes the login. */
  userId: number;
  clientId: string;
  scopes: string[];
  revoked: boolean;
  /** The GitHub App whose user token this is; null for an OAuth App's token. */
  appId: number | null;
  /** Milliseconds since the epoch; null for tokens that do not expire. */
  expiresAt: number | null;
}

/** `ghr_`: trades once for a new user token and a new refresh token; trading it revokes it. */
export interface RefreshTokenRecord {
  token: string;
  userId: number;
  appId: number;
  clientId: string;
  /** The access token issued with it; refreshing ends it too. */
  accessToken: string;
  expiresAt: number;
  revoked: boolean;
}

/** `ghs_`: acts as an installation, on its repositories (or fewer), with its permissions (or fewer), for an hour. */
export interface InstallationTokenRecord {
  token: string;
  installationId: number;
  appId: number;
  permissions: AppPermissions;
  /** The repositories it was narrowed to; null reaches every repository of the installation. */
  repositoryIds: number[] | null;
  expiresAt: number;
}

export const USER_TOKEN_LIFETIME_S = 8 * 60 * 60;
export const REFRESH_TOKEN_LIFETIME_S = 15_897_600;
export const INSTALLATION_TOKEN_LIFETIME_MS = 60 * 60 * 1000;

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** Tokens look like GitHub's: a prefix (gho_, ghu_, ghr_, ghs_) and 36 base62 characters. */
export function newToken(prefix = "gho_"): string {
  const bytes = randomBytes(36);
  let body = "";
  for (const byte of bytes) body += BASE62[byte % BASE62.length];
  return prefix + body;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();
  private readonly refreshTokens = new Map<string, RefreshTokenRecord>();
  private readonly installationTokens = new Map<string, InstallationTokenRecord>();

  issue(userId: number, clientId: string, scopes: string[]): TokenRecord {
    const record: TokenRecord = {
      token: newToken(),
      userId,
      clientId,
      scopes,
      revoked: false,
      appId: null,
      expiresAt: null,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  /** A GitHub App user token; with expiry on (GitHub's default) it lasts 8 hours and comes with a refresh token. */
  issueAppUser(input: { userId: number; appId: number; clientId: string; expiring: boolean; now: number }): {
    access: TokenRecord;
    refresh: RefreshTokenRecord | null;
  } {
    const access: TokenRecord = {
      token: newToken("ghu_"),
      userId: input.userId,
      clientId: input.clientId,
      scopes: [],
      revoked: false,
      appId: input.appId,
      expiresAt: input.expiring ? input.now + USER_TOKEN_LIFETIME_S * 1000 : null,
    };
    this.tokens.set(access.token, access);
    if (!input.expiring) return { access, refresh: null };
    const refresh: RefreshTokenRecord = {
      token: newToken("ghr_"),
      userId: input.userId,
      appId: input.appId,
      clientId: input.clientId,
      accessToken: access.token,
      expiresAt: input.now + REFRESH_TOKEN_LIFETIME_S * 1000,
      revoked: false,
    };
    this.refreshTokens.set(refresh.token, refresh);
    return { access, refresh };
  }

  /**
   * Trades a refresh token for a new pair. The old refresh token and its access token stop working; a refresh token
   * that was used, revoked, expired or issued to another client answers null.
   */
  refresh(token: string, clientId: string, now: number): { access: TokenRecord; refresh: RefreshTokenRecord } | null {
    const found = this.refreshTokens.get(token);
    if (!found || found.revoked || found.clientId !== clientId || found.expiresAt <= now) return null;
    found.revoked = true;
    const old = this.tokens.get(found.accessToken);
    if (old) old.revoked = true;
    const issued = this.issueAppUser({
      userId: found.userId,
      appId: found.appId,
      clientId,
      expiring: true,
      now,
    });
    return issued.refresh ? { access: issued.access, refresh: issued.refresh } : null;
  }

  find(token: string, now: number): TokenRecord | undefined {
    const record = this.tokens.get(token);
    if (!record || record.revoked) return undefined;
    return record.expiresAt === null || record.expiresAt > now ? record : undefined;
  }

  /** Returns how many live tokens (refresh tokens included) were revoked. */
  revokeAllOf(userId: number): number {
    let count = 0;
    for (const record of [...this.tokens.values(), ...this.refreshTokens.values()]) {
      if (!record.revoked && record.userId === userId) {
        record.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  /** The user revokes the App's authorization: every user and refresh token of that pair stops working. */
  revokeAppAuthorization(userId: number, appId: number): number {
    let count = 0;
    for (const record of [...this.tokens.values(), ...this.refreshTokens.values()]) {
      if (!record.revoked && record.userId === userId && record.appId === appId) {
        record.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  /** Lets the user's App tokens run out now (refresh tokens too, when asked), as the clock would in 8 hours. */
  expireAppUserTokens(input: { userId: number; appId: number | null; now: number; refresh: boolean }): number {
    const matches = (record: { userId: number; appId: number | null; revoked: boolean }) =>
      !record.revoked &&
      record.userId === input.userId &&
      record.appId !== null &&
      (input.appId === null || record.appId === input.appId);
    let count = 0;
    for (const record of this.tokens.values()) {
      if (matches(record) && (record.expiresAt === null || record.expiresAt > input.now)) {
        record.expiresAt = input.now;
        count += 1;
      }
    }
    if (!input.refresh) return count;
    for (const record of this.refreshTokens.values()) {
      if (matches(record) && record.expiresAt > input.now) {
        record.expiresAt = input.now;
        count += 1;
      }
    }
    return count;
  }

  issueInstallation(input: Omit<InstallationTokenRecord, "token" | "expiresAt">, now: number): InstallationTokenRecord {
    for (const [token, record] of this.installationTokens) {
      if (record.expiresAt <= now) this.installationTokens.delete(token);
    }
    const record: InstallationTokenRecord = {
      ...input,
      token: newToken("ghs_"),
      expiresAt: now + INSTALLATION_TOKEN_LIFETIME_MS,
    };
    this.installationTokens.set(record.token, record);
    return record;
  }

  findInstallation(token: string, now: number): InstallationTokenRecord | undefined {
    const record = this.installationTokens.get(token);
    return record && record.expiresAt > now ? record : undefined;
  }
}
