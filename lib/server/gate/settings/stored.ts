import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { GateCheckMode, GateReleaseOrder, GateSettings } from "./schemas";

// Reading and writing a pipeline's ReleaseGate row for its settings page. The row is kept when the gate is turned
// off, so its branches and checks come back when it is turned on again.

type Tx = Pick<Db, "releaseGate">;

export type StoredGate = GateSettings & { updatedByLogin: string; updatedAt: Date };

export async function readGate(db: Tx, pipelineId: string): Promise<StoredGate | null> {
  const row = await db.releaseGate.findUnique({ where: { pipelineId } });
  if (!row) return null;
  return {
    enabled: row.enabled,
    branches: row.branches,
    checks: row.checks as GateCheckMode,
    checkNames: row.checkNames,
    releaseOrder: row.releaseOrder as GateReleaseOrder,
    updatedByLogin: row.updatedByLogin,
    updatedAt: row.updatedAt,
  };
}

/** Pure: the settings alone, as the audit log keeps them. */
export const settingsOf = (gate: GateSettings | null): GateSettings | null =>
  gate
    ? {
        enabled: gate.enabled,
        branches: gate.branches,
        checks: gate.checks,
        checkNames: gate.checkNames,
        releaseOrder: gate.releaseOrder,
      }
    : null;

export async function writeGate(tx: Tx, pipelineId: string, settings: GateSettings, login: string): Promise<void> {
  // Names are kept when another mode is chosen: the gate reads them only in "named" mode, and they come back with it.
  const data = { ...settingsOf(settings), updatedByLogin: login };
  await tx.releaseGate.upsert({ where: { pipelineId }, create: { pipelineId, ...data }, update: data });
}
