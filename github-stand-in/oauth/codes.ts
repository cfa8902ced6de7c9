import { randomBytes } from "node:crypto";

export const CODE_LIFETIME_MS = 10 * 60 * 1000;

export interface AuthorizationCode {
  code: string;
  clientId: string;
  /** The account that consented, by id: a rename between consent and exchange changes nothing. */
  userId: number;
  scopes: string[];
  /** The redirect_uri given at authorize time, or null when the registered callback was used. */
  redirectUri: string | null;
  codeChallenge: string | null;
  expiresAt: number;
}

/** Codes expire after ten minutes and can be redeemed once (RFC 6749 §4.1.2). */
export class CodeStore {
  private readonly codes = new Map<string, AuthorizationCode>();

  constructor(private readonly now: () => number) {}

  issue(grant: Omit<AuthorizationCode, "code" | "expiresAt">): AuthorizationCode {
    this.sweep();
    const code = { ...grant, code: randomBytes(10).toString("hex"), expiresAt: this.now() + CODE_LIFETIME_MS };
    this.codes.set(code.code, code);
    return code;
  }

  /** Removes the code whatever happens next, so a second attempt always fails. */
  redeem(code: string, clientId: string): AuthorizationCode | null {
    const found = this.codes.get(code);
    if (!found || found.clientId !== clientId) return null;
    this.codes.delete(code);
    return found.expiresAt > this.now() ? found : null;
  }

  private sweep(): void {
    const now = this.now();
    for (const [code, grant] of this.codes) if (grant.expiresAt <= now) this.codes.delete(code);
  }
}
