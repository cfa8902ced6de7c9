// What a refresh needs from a pipeline's stored definition: its approvals' declarations (timeout, CustomData,
// review link) and whether any stage declares conditions.
import "server-only";
import type { Db } from "@/lib/server/db/client";
import { approvalDeclarations, type ApprovalDeclarations } from "../decide/approval-declarations";

/** Empty when no definition is stored yet: approvals then wait the default time and show nothing declared. */
export async function storedApprovalDeclarations(
  db: Db,
  pipelineId: string,
  version: number | null,
): Promise<ApprovalDeclarations> {
  if (version === null) return new Map();
  const def = await db.pipelineDefinition.findUnique({
    where: { pipelineId_version: { pipelineId, version } },
    select: { definition: true },
  });
  return approvalDeclarations(def?.definition ?? null);
}

export async function definitionFacts(
  db: Db,
  pipelineId: string,
  version: number | null,
): Promise<{ declarations: ApprovalDeclarations; hasConditions: boolean }> {
  const stages = await db.stage.findMany({ where: { pipelineId }, select: { conditions: true } });
  return {
    declarations: await storedApprovalDeclarations(db, pipelineId, version),
    hasConditions: stages.some((s) => s.conditions !== null),
  };
}
