// POST /api/events/codepipeline without Next: authenticate, validate, record the event ids (delivery is
// at-least-once, so repeats are dropped), and make the pipelines due for a targeted re-sync. Never calls
// AWS: the sync engine does the fetching, coalescing a burst of events into one sync.
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { parseEvents, type PipelineEvent } from "./parse-event";
import { secretMatches } from "./verify-secret";

export const MAX_EVENT_BODY_BYTES = 512 * 1024;

export interface EventRequest {
  db: Db;
  logger: Logger;
  /** Null/undefined when events are not configured: the endpoint then does not exist (404). */
  secret: string | null | undefined;
  presentedSecret: string | null;
  body: string;
  now: number;
  coalesceMs?: number;
}

export interface EventResponse {
  status: number;
  body: Record<string, unknown>;
}

export async function handleCodePipelineEvents(req: EventRequest): Promise<EventResponse> {
  if (!req.secret) return { status: 404, body: { error: "not_found" } };
  if (!secretMatches(req.presentedSecret, req.secret)) {
    req.logger.warn("rejected CodePipeline events: missing or wrong secret header");
    return { status: 401, body: { error: "unauthorized" } };
  }
  if (Buffer.byteLength(req.body) > MAX_EVENT_BODY_BYTES) return { status: 413, body: { error: "too_large" } };
  const parsed = parseEvents(req.body);
  if (!parsed.ok) {
    req.logger.warn({ error: parsed.error }, "rejected malformed CodePipeline events");
    return {
      status: parsed.status,
      body: { error: parsed.status === 400 ? "bad_request" : "invalid_event", message: parsed.error },
    };
  }
  const fresh = await recordNew(req.db, parsed.events);
  const now = new Date(req.now);
  const due = new Date(req.now + (req.coalesceMs ?? 250));
  const result = await requestSyncs(req.db, fresh, now, due);
  return { status: 200, body: { accepted: fresh.length, duplicates: parsed.events.length - fresh.length, ...result } };
}

/** Inserts event ids; returns only the events not seen before (also de-duplicates within one request). */
async function recordNew(db: Db, events: PipelineEvent[]): Promise<PipelineEvent[]> {
  const unique = [...new Map(events.map((e) => [e.id, e])).values()];
  const inserted = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO "ProcessedEvent" ("id", "receivedAt")
    SELECT unnest(${unique.map((e) => e.id)}::text[]), now()
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"`;
  const ids = new Set(inserted.map((r) => r.id));
  return unique.filter((e) => ids.has(e.id));
}

async function requestSyncs(
  db: Db,
  events: PipelineEvent[],
  now: Date,
  due: Date,
): Promise<{ pipelines: number; unknown: number }> {
  if (events.length === 0) return { pipelines: 0, unknown: 0 };
  const targets = await db.target.findMany({ select: { id: true, accountId: true, region: true } });
  const pipelines = new Set<string>();
  let unknown = 0;
  // target -> pipeline -> what the events named: executions, and whether any was pipeline-level.
  const byTarget = new Map<string, Map<string, { executions: Set<string>; pipelineLevel: boolean }>>();
  for (const e of events) {
    // Match on account and region; a target whose account is not known yet matches on region alone.
    const matches = targets.filter((t) => t.region === e.region && (t.accountId === e.account || t.accountId === ""));
    for (const t of matches) {
      const perPipeline = byTarget.get(t.id) ?? new Map<string, { executions: Set<string>; pipelineLevel: boolean }>();
      const hint = perPipeline.get(e.pipeline) ?? { executions: new Set<string>(), pipelineLevel: false };
      hint.executions.add(e.executionId);
      hint.pipelineLevel ||= e.level === "pipeline";
      perPipeline.set(e.pipeline, hint);
      byTarget.set(t.id, perPipeline);
    }
    if (matches.length === 0) unknown++;
  }
  for (const [targetId, perPipeline] of byTarget) {
    let found = 0;
    for (const [name, hint] of perPipeline) {
      const rows = await db.$queryRaw<{ pipelineId: string }[]>`
        UPDATE "PipelineSync" ps SET
          "requestedAt" = ${now},
          "nextSyncAt" = LEAST(ps."nextSyncAt", ${due}),
          "eventExecutionIds" = (SELECT array_agg(DISTINCT x) FROM unnest(ps."eventExecutionIds" || ${[...hint.executions]}::text[]) AS x),
          "pipelineEventPending" = ps."pipelineEventPending" OR ${hint.pipelineLevel}
        FROM "Pipeline" p
        WHERE p."id" = ps."pipelineId" AND p."targetId" = ${targetId} AND p."name" = ${name} AND p."deletedAt" IS NULL
        RETURNING ps."pipelineId"`;
      for (const r of rows) pipelines.add(r.pipelineId);
      found += rows.length;
    }
    // A pipeline we have never seen: run discovery for its target now instead of waiting for the next round.
    const missing = perPipeline.size - found;
    unknown += missing;
    await db.target.update({
      where: { id: targetId },
      data: { lastEventAt: now, ...(missing > 0 ? { nextDiscoveryAt: now } : {}) },
    });
  }
  return { pipelines: pipelines.size, unknown };
}
