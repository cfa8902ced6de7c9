import { randomBytes } from "node:crypto";

export interface TokenRecord {
  token: string;
  /** The account's id: a token stays its account's across a rename, and never passes to whoever takes the login. */
  userId: number;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** OAuth App user tokens look like GitHub's: "gho_" and 36 base62 characters. */
export function newToken(prefix = "gho_"): string {
  const bytes = randomBytes(36);
  let body = "";
  for (const byte of bytes) body += BASE62[byte % BASE62.length];
  return prefix + body;
}

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  issue(userId: number, clientId: string, scopes: string[]): TokenRecord {
    const record: TokenRecord = { token: newToken(), userId, clientId, scopes, revoked: false };
    this.tokens.set(record.token, record);
    return record;
  }

  find(token: string): TokenRecord | undefined {
    const record = this.tokens.get(token);
    return record && !record.revoked ? record : undefined;
  }

  /** Returns how many live tokens were revoked. */
  revokeAllOf(userId: number): number {
    let count = 0;
    for (const record of this.tokens.values()) {
      if (!record.revoked && record.userId === userId) {
        record.revoked = true;
        count += 1;
      }
    }
    return count;
  }
}
