import "server-only";

// What a live stream sends about one stored change: just enough for a page to know which of its
// queries to refetch. Every value that came from AWS is checked against the shape it must have, and
// dropped (null) otherwise, so no free text reaches a browser through the stream.

import type { FeedCursor } from "@/lib/server/feed/cursor";

export type LiveCursor = FeedCursor;

/** The fields of a change-feed row a stream reads (a subset of lib/server/feed's ChangeRow). */
export type LiveChange = LiveCursor & {
  pipelineId: string;
  executionId: string | null;
  entity: string;
  name: string | null;
  after: unknown;
};

export type LiveEventData = {
  pipelineId: string;
  executionId: string | null;
  entity: LiveEntity;
  name: string | null;
  status: string | null;
};

const ENTITIES = ["pipeline", "execution", "stage", "action", "approval", "transition"] as const;
export type LiveEntity = (typeof ENTITIES)[number];

const PIPELINE_ID = /^[\w-]{1,64}$/;
// CodePipeline execution ids are UUIDs; names of stages and actions are [A-Za-z0-9.@_-]{1,100}.
const EXECUTION_ID = /^[\w-]{1,100}$/;
const NAME_PART = /^[\w.@-]{1,100}$/;
// AWS statuses are single words (InProgress, Succeeded, Superseded, …).
const STATUS = /^[A-Za-z]{1,32}$/;

function statusOf(entity: LiveEntity, after: unknown): string | null {
  if (typeof after !== "object" || after === null) return null;
  const record = after as Record<string, unknown>;
  if (entity === "transition" && typeof record.enabled === "boolean") return record.enabled ? "Enabled" : "Disabled";
  const status = record.status ?? record.latestStatus;
  return typeof status === "string" && STATUS.test(status) ? status : null;
}

function nameOf(name: string | null): string | null {
  if (name === null) return null;
  const parts = name.split("/");
  return parts.length <= 2 && parts.every((part) => NAME_PART.test(part)) ? name : null;
}

/** The event's data, or null for a row no page could use (an id of a shape we never write). */
export function toLiveEvent(change: LiveChange): LiveEventData | null {
  if (!PIPELINE_ID.test(change.pipelineId)) return null;
  const entity = (ENTITIES as readonly string[]).includes(change.entity) ? (change.entity as LiveEntity) : null;
  if (!entity) return null;
  const executionId = change.executionId !== null && EXECUTION_ID.test(change.executionId) ? change.executionId : null;
  return {
    pipelineId: change.pipelineId,
    executionId,
    entity,
    name: nameOf(change.name),
    status: statusOf(entity, change.after),
  };
}

// Server-sent events framing (https://html.spec.whatwg.org/multipage/server-sent-events.html). Ids and
// event names are ours and never contain a newline; data is one line of JSON.

export function sseEvent(event: { id?: string; event: string; data: unknown }): string {
  const id = event.id ? `id: ${event.id}\n` : "";
  return `${id}event: ${event.event}\ndata: ${JSON.stringify(event.data)}\n\n`;
}

export const sseComment = (text: string): string => `: ${text}\n\n`;
export const sseRetry = (ms: number): string => `retry: ${Math.round(ms)}\n\n`;
