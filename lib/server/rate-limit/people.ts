import "server-only";
import type { BlockList } from "node:net";
import { addressKey, clientAddress } from "./client-ip";
import type { Charge, LimitDecision, RateLimits } from "./limiter";
import { appRateLimits, appTrustedProxies, sessionUserId } from "./store";

// The limit proxy.ts applies to every request people make (pages, API routes, sign-in): always per
// client address, and for pages also per user. API routes charge the user in withUser, which knows the
// viewer without another query; charging them here too would count each API request twice.

export type PersonRequest = {
  forwardedFor: string | null;
  kind: "page" | "api";
  sessionToken: string | null;
};

export type PeopleLimitDeps = {
  limits: RateLimits;
  trustedProxies: BlockList;
  userIdOf: (sessionToken: string) => Promise<string | null>;
};

export function appPeopleLimitDeps(): PeopleLimitDeps {
  return { limits: appRateLimits(), trustedProxies: appTrustedProxies(), userIdOf: sessionUserId };
}

export async function limitPersonRequest(
  request: PersonRequest,
  deps: PeopleLimitDeps = appPeopleLimitDeps(),
): Promise<LimitDecision> {
  const address = clientAddress({ forwardedFor: request.forwardedFor, trustedProxies: deps.trustedProxies });
  const charges: Charge[] = [{ budget: "ip", subject: addressKey(address) }];
  if (request.kind === "page" && request.sessionToken) {
    const userId = await deps.userIdOf(request.sessionToken);
    if (userId) charges.push({ budget: "user", subject: userId });
  }
  return deps.limits.consume(charges);
}
