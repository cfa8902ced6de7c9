import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { Logger } from "@/lib/server/logger";
import { parseEvents, type PipelineEvent } from "./parse-event";
import { discardBody, readBodyCapped, type RequestBody } from "@/lib/server/api/read-body";
import { secretMatches } from "./verify-secret";

// POST /api/events/codepipeline without Next: authenticate from the headers, only then read the body
// (capped), validate, and in one transaction record the event ids (delivery is at-least-once, so
// repeats are dropped) and make the pipelines due for a targeted re-sync. Never calls AWS: the sync
// engine does the fetching, coalescing a burst of events into one sync.

/** EventBridge events are at most 256 KB each; an API destination batch stays well below this. */
export const MAX_EVENT_BODY_BYTES = 512 * 1024;

export interface EventRequest {
  db: Db;
  logger: Logger;
  /** Null/undefined when events are not configured: the endpoint then does not exist (404). */
  secret: string | null | undefined;
  presentedSecret: string | null;
  /** The request body as it arrives (read only once the secret matched), or already read (benchmarks). */
  body: RequestBody;
  /** The content-length header, when the body is a stream. */
  declaredLength?: string | null;
  now: number;
  coalesceMs?: number;
}

export interface EventResponse {
  status: number;
  body: Record<string, unknown>;
}

/** What a transaction may do: the client minus what only the client itself can (Prisma's ITX deny list). */
type Tx = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

export async function handleCodePipelineEvents(req: EventRequest): Promise<EventResponse> {
  // Nothing of the body is read (nor buffered) before the caller has proven it holds the secret.
  if (!req.secret) {
    await discardBody(req.body);
    return { status: 404, body: { error: "not_found" } };
  }
  if (!secretMatches(req.presentedSecret, req.secret)) {
    req.logger.warn("rejected CodePipeline events: missing or wrong secret header");
    await discardBody(req.body);
    return { status: 401, body: { error: "unauthorized" } };
  }
  const read = await readBodyCapped({
    body: req.body,
    declaredLength: req.declaredLength ?? null,
    maxBytes: MAX_EVENT_BODY_BYTES,
  });
  if (read.kind === "too_large") {
    req.logger.warn({ maxBytes: MAX_EVENT_BODY_BYTES }, "rejected CodePipeline events: body too large");
    return { status: 413, body: { error: "too_large", message: `at most ${MAX_EVENT_BODY_BYTES} bytes` } };
  }
  if (read.kind === "unreadable") return { status: 400, body: { error: "bad_request", message: "unreadable body" } };
  const parsed = parseEvents(read.text);
  if (!parsed.ok) {
    req.logger.warn({ error: parsed.error }, "rejected malformed CodePipeline events");
    return {
      status: parsed.status,
      body: { error: parsed.status === 400 ? "bad_request" : "invalid_event", message: parsed.error },
    };
  }
  const now = new Date(req.now);
  const due = new Date(req.now + (req.coalesceMs ?? 250));
  try {
    // One transaction: an event is recorded as processed only together with the syncs it asks for, so a
    // failure in between records neither and EventBridge's redelivery (it retries a 5xx) is processed.
    const result = await req.db.$transaction(async (tx) => {
      const fresh = await recordNew(tx, parsed.events);
      return { fresh, ...(await requestSyncs(tx, fresh, now, due)) };
    });
    const { fresh, ...counts } = result;
    return {
      status: 200,
      body: { accepted: fresh.length, duplicates: parsed.events.length - fresh.length, ...counts },
    };
  } catch (err) {
    req.logger.error({ err }, "could not record CodePipeline events; the sender retries");
    return { status: 503, body: { error: "unavailable" } };
  }
}

/** Inserts event ids; returns only the events not seen before (also de-duplicates within one request). */
async function recordNew(tx: Tx, events: PipelineEvent[]): Promise<PipelineEvent[]> {
  // Sorted, so two deliveries sharing ids take their row locks in the same order (no deadlock).
  const unique = [...new Map(events.map((e) => [e.id, e])).values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const inserted = await tx.$queryRaw<{ id: string }[]>`
    INSERT INTO "ProcessedEvent" ("id", "receivedAt")
    SELECT id, now() FROM unnest(${unique.map((e) => e.id)}::text[]) WITH ORDINALITY AS e(id, n) ORDER BY n
    ON CONFLICT ("id") DO NOTHING
    RETURNING "id"`;
  const ids = new Set(inserted.map((r) => r.id));
  return unique.filter((e) => ids.has(e.id));
}

type Hint = { executions: Set<string>; pipelineLevel: boolean };

async function requestSyncs(
  tx: Tx,
  events: PipelineEvent[],
  now: Date,
  due: Date,
): Promise<{ pipelines: number; unknown: number }> {
  if (events.length === 0) return { pipelines: 0, unknown: 0 };
  const targets = await tx.target.findMany({ select: { id: true, accountId: true, region: true } });
  const pipelines = new Set<string>();
  let unknown = 0;
  // target -> pipeline -> what the events named: executions, and whether any was pipeline-level.
  const byTarget = new Map<string, Map<string, Hint>>();
  for (const e of events) {
    // Match on account and region; a target whose account is not known yet matches on region alone.
    const matches = targets.filter((t) => t.region === e.region && (t.accountId === e.account || t.accountId === ""));
    for (const t of matches) {
      const perPipeline = byTarget.get(t.id) ?? new Map<string, Hint>();
      const hint = perPipeline.get(e.pipeline) ?? { executions: new Set<string>(), pipelineLevel: false };
      hint.executions.add(e.executionId);
      hint.pipelineLevel ||= e.level === "pipeline";
      perPipeline.set(e.pipeline, hint);
      byTarget.set(t.id, perPipeline);
    }
    if (matches.length === 0) unknown++;
  }
  // Rows are locked in one order (PipelineSync by target and name, then Target by id), so concurrent
  // deliveries wait for each other instead of deadlocking.
  const targetIds = [...byTarget.keys()].sort();
  const missingBy = new Map<string, number>();
  for (const targetId of targetIds) {
    const perPipeline = byTarget.get(targetId)!;
    let found = 0;
    for (const name of [...perPipeline.keys()].sort()) {
      const hint = perPipeline.get(name)!;
      const rows = await tx.$queryRaw<{ pipelineId: string }[]>`
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
    missingBy.set(targetId, perPipeline.size - found);
  }
  for (const targetId of targetIds) {
    // A pipeline we have never seen: run discovery for its target now instead of waiting for the next round.
    const missing = missingBy.get(targetId) ?? 0;
    unknown += missing;
    await tx.target.update({
      where: { id: targetId },
      data: { lastEventAt: now, ...(missing > 0 ? { nextDiscoveryAt: now } : {}) },
    });
  }
  return { pipelines: pipelines.size, unknown };
}
