import "server-only";
import { z } from "zod";
import { policyOverrideSchema, type PolicyOverride } from "@/lib/config/policy";
import type { Db } from "@/lib/server/db/client";

// The only reader and writer of PolicyOverride.settings: a versioned shape, so a later version can read
// rows written by this one. A row that does not parse (written by hand, say) is ignored with the
// defaults above it applying, rather than failing every decision of the repository.

const storedSchema = z.object({ v: z.literal(1), override: policyOverrideSchema });

export interface OverrideScope {
  repositoryGithubId: bigint;
  /** "" for the whole repository. */
  pipelineId: string;
  /** "" for the whole pipeline (or repository). */
  stageName: string;
}

export function parseStored(settings: unknown): PolicyOverride | null {
  const parsed = storedSchema.safeParse(settings);
  return parsed.success ? parsed.data.override : null;
}

type Reader = Pick<Db, "policyOverride">;

/** The stored overrides that apply to a stage (any may be missing). */
export async function readStoredLevels(
  db: Reader,
  repositoryGithubId: bigint | null,
  pipelineId: string | null,
  stageName: string | null,
): Promise<{ repository: PolicyOverride | null; pipeline: PolicyOverride | null; stage: PolicyOverride | null }> {
  if (repositoryGithubId === null) return { repository: null, pipeline: null, stage: null };
  const rows = await db.policyOverride.findMany({
    where: {
      repositoryGithubId,
      OR: [
        { pipelineId: "", stageName: "" },
        ...(pipelineId ? [{ pipelineId, stageName: "" }] : []),
        ...(pipelineId && stageName ? [{ pipelineId, stageName }] : []),
      ],
    },
  });
  const find = (p: string, s: string) => {
    const row = rows.find((r) => r.pipelineId === p && r.stageName === s);
    return row ? parseStored(row.settings) : null;
  };
  return {
    repository: find("", ""),
    pipeline: pipelineId ? find(pipelineId, "") : null,
    stage: pipelineId && stageName ? find(pipelineId, stageName) : null,
  };
}

export interface StoredOverride extends OverrideScope {
  override: PolicyOverride;
  updatedAt: Date;
  updatedByLogin: string;
}

/** Every override of a repository (the settings page). */
export async function listOverrides(db: Reader, repositoryGithubId: bigint): Promise<StoredOverride[]> {
  const rows = await db.policyOverride.findMany({
    where: { repositoryGithubId },
    orderBy: [{ pipelineId: "asc" }, { stageName: "asc" }],
  });
  return rows.flatMap((row) => {
    const override = parseStored(row.settings);
    return override
      ? [
          {
            repositoryGithubId: row.repositoryGithubId,
            pipelineId: row.pipelineId,
            stageName: row.stageName,
            override,
            updatedAt: row.updatedAt,
            updatedByLogin: row.updatedByLogin,
          },
        ]
      : [];
  });
}

const isEmpty = (o: PolicyOverride) =>
  Object.keys(o.approvals ?? {}).length === 0 && Object.keys(o.commands ?? {}).length === 0;

/** Sets (or, when empty, removes) one scope's override; returns what it was before. */
export async function writeOverride(
  db: Reader,
  scope: OverrideScope,
  override: PolicyOverride,
  login: string,
): Promise<PolicyOverride | null> {
  const key = { repositoryGithubId_pipelineId_stageName: scope };
  const before = await db.policyOverride.findUnique({ where: key });
  if (isEmpty(override)) {
    if (before) await db.policyOverride.delete({ where: key });
  } else {
    const settings = { v: 1 as const, override };
    await db.policyOverride.upsert({
      where: key,
      create: { ...scope, settings, updatedByLogin: login },
      update: { settings, updatedByLogin: login },
    });
  }
  return before ? parseStored(before.settings) : null;
}
