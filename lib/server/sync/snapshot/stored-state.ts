// The only reader and writer of Pipeline.state: every read parses it (a version 1 row is migrated on read),
// every write goes through writeState, which stores the derived values with the snapshot.
import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";
import type { Db } from "@/lib/server/db/client";
import { deriveFrom } from "./derive";
import {
  PositionSchema,
  SnapshotSchema,
  STATE_VERSION,
  StoredStateSchema,
  type Position,
  type StoredState,
} from "./schema";

/** Pipeline.state as stored; null when there is none or it is not a snapshot of any version we know. */
export function readStoredState(json: unknown): StoredState | null {
  if (json === null || json === undefined) return null;
  const current = StoredStateSchema.safeParse(json);
  if (current.success) return current.data;
  // Version 1 (before versions): the bare snapshot. Its source action was never stored.
  const legacy = SnapshotSchema.safeParse(json);
  if (!legacy.success) return null;
  return toStoredState(legacy.data, null);
}

export function readSnapshot(json: unknown): PipelineStateSnapshot | null {
  const stored = readStoredState(json);
  if (!stored) return null;
  const { version: _version, derived: _derived, ...snapshot } = stored;
  return snapshot;
}

/** Where an execution stands in the stored state; null when the state does not name it. */
export function positionIn(json: unknown, executionId: string): Position | null {
  return readStoredState(json)?.derived.positions[executionId] ?? null;
}

export function toStoredState(snapshot: PipelineStateSnapshot, sourceActionName: string | null): StoredState {
  return { ...snapshot, version: STATE_VERSION, derived: deriveFrom(snapshot, sourceActionName) };
}

/** The client or a transaction: all the writer needs. */
type StateWriter = { pipeline: Pick<Db["pipeline"], "update"> };

/** The one writer of Pipeline.state (`fetchedAt`: the state was read from AWS now, not patched). */
export async function writeState(
  db: StateWriter,
  pipelineId: string,
  snapshot: PipelineStateSnapshot,
  options: { sourceActionName: string | null; fetchedAt?: Date },
): Promise<void> {
  const stored = toStoredState(snapshot, options.sourceActionName);
  await db.pipeline.update({
    where: { id: pipelineId },
    data: {
      state: stored,
      ...(options.fetchedAt ? { stateFetchedAt: options.fetchedAt } : {}),
    },
  });
}

/** An execution's position from the overview query's columns (see sql.ts). */
export function positionFromColumns(stored: unknown, legacyState: unknown, executionId: string): Position | null {
  const parsed = PositionSchema.safeParse(stored);
  if (parsed.success) return parsed.data;
  return legacyState ? positionIn(legacyState, executionId) : null;
}
