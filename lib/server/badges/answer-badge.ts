import "server-only";
import { readBadgeRequest, type BadgePath, type BadgeRequest } from "@/lib/badges/badge-request";
import { renderBadge } from "@/lib/badges/render-badge";
import { stateOfRuns, type BadgeState } from "@/lib/badges/state";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { isDatabaseUnavailable } from "@/lib/server/db/unavailable";
import { logger } from "@/lib/server/logger";
import { badgeKeyMatches } from "./badge-key";
import { badgeResponse } from "./badge-response";
import { readBadgeFacts, type BadgeFacts } from "./read-badge-facts";

// GET /badges/... behind the routes. Whatever happens the answer is a 200 badge (or its 304): a name Stageboard
// does not know, a pipeline or stage it does not have, a private repository asked without its key or with a
// wrong one, a database that does not answer, a bug. The last three say "unknown" exactly as an unknown name
// does: the same SVG (so the same ETag), the same headers, and the same steps on the way (both queries run and
// the key is compared whether or not the repository exists), so neither the answer nor a missing step tells a
// private repository from no repository.

/** Whether the badge may show what the facts say: a public repository's always, a private one's with its key. */
export function mayShow(facts: BadgeFacts, key: string): boolean {
  const keyMatches = badgeKeyMatches(key, facts.repository?.keyHash ?? null);
  return facts.repository !== null && (!facts.repository.private || keyMatches);
}

// Badges are fetched by image proxies on every view: an outage is logged when it starts, not once per badge.
let databaseDown = false;

async function stateFor(request: BadgeRequest, db: Db): Promise<BadgeState> {
  // An address that cannot name anything (see badge-request.ts) has nothing to look up; answering it at once
  // tells nobody anything about any repository.
  if (!request.lookup) return "unknown";
  try {
    const facts = await readBadgeFacts(db, request.lookup);
    databaseDown = false;
    const state = stateOfRuns(facts.runs);
    return mayShow(facts, request.key) ? state : "unknown";
  } catch (error) {
    if (!isDatabaseUnavailable(error)) logger.error({ err: error }, "badge could not be read");
    else if (!databaseDown) {
      databaseDown = true;
      // One line without the stack, as the API routes log it: the driver's message can name hosts.
      logger.warn(
        { err: { name: error instanceof Error ? error.name : "Error" } },
        "database unavailable: badges say unknown",
      );
    }
    return "unknown";
  }
}

export async function answerBadge(request: Request, path: BadgePath, deps: { db?: Db } = {}): Promise<Response> {
  const ifNoneMatch = request.headers.get("if-none-match");
  try {
    const badge = readBadgeRequest(path, new URL(request.url).searchParams);
    const state = await stateFor(badge, deps.db ?? appDb);
    return badgeResponse(renderBadge({ label: badge.label, state, style: badge.style }), ifNoneMatch);
  } catch (error) {
    logger.error({ err: error }, "badge could not be drawn");
    return badgeResponse(renderBadge({ label: "CodePipeline", state: "unknown", style: "flat" }), ifNoneMatch);
  }
}

/** The address's segments after /badges/, as sent: for names Next cannot decode (not UTF-8). */
export const undecodedSegments = (request: Request): string[] => new URL(request.url).pathname.split("/").slice(2);
