import "server-only";
import { env } from "@/lib/env";
import { secretMatches } from "@/lib/server/sync/events/verify-secret";
import type { BudgetName } from "./budgets";
import type { RateLimits } from "./limiter";
import { rateLimitedJson } from "./responses";
import { appRateLimits } from "./store";

// Machine endpoints (EventBridge events now; GitHub webhooks and badges later) are charged to budgets
// of their own, and only once the sender has proven who it is: an unauthenticated flood must not use
// up the budget that real deliveries need (a sender refused with 429 retries on its own schedule,
// not on Retry-After), and it is refused by the authentication anyway.

export type MachineEndpoint = { budget: Extract<BudgetName, "events">; subject: string };

export const CODEPIPELINE_EVENTS: MachineEndpoint = { budget: "events", subject: "codepipeline" };

/** Call after authenticating the sender: a 429 response once the endpoint's budget is spent, else null. */
export async function limitMachineRequest(
  endpoint: MachineEndpoint,
  limits: RateLimits = appRateLimits(),
): Promise<Response | null> {
  const decision = await limits.consume([endpoint]);
  return decision.kind === "limited" ? rateLimitedJson(decision) : null;
}

/**
 * For POST /api/events/codepipeline, first thing: a request that carries the events secret is charged
 * to the events budget (429 once it is spent); any other is left to the handler, which refuses it
 * (401, or 404 when events are off) without charging anything.
 */
export async function limitEventsSender(
  headers: Headers,
  config: { secret: string | undefined; header: string; limits?: RateLimits } = {
    secret: env.EVENTS_SECRET,
    header: env.EVENTS_HEADER,
  },
): Promise<Response | null> {
  if (!config.secret || !secretMatches(headers.get(config.header), config.secret)) return null;
  return limitMachineRequest(CODEPIPELINE_EVENTS, config.limits);
}
