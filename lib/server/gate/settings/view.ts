import "server-only";
import { commitStartSupport } from "@/lib/pipelines/commit-start";
import { ownTriggers } from "@/lib/pipelines/own-triggers";
import type { Db } from "@/lib/server/db/client";
import { githubApp } from "@/lib/server/github/app";
import type { GatePipelineRef } from "./access";
import { DEFAULT_GATE_SETTINGS } from "./decide";
import { readGate } from "./stored";
import type { GateCommitView, GateSettingsView } from "./schemas";

// What the release gate form shows of one pipeline: its settings (or the defaults), what it needs to work (a
// GitHub App; a source that starts a chosen commit), what would still start it without the gate, and the last
// commits at the gate. Everything here is read from Postgres and the stored declaration: no GitHub or AWS call.

export const RECENT_GATE_COMMITS = 20;

type PipelineFacts = {
  sourceBranch: string | null;
  pipelineType: string | null;
  definition: unknown;
  repositoryGithubId: bigint | null;
};

export async function readPipelineFacts(db: Db, pipelineId: string): Promise<PipelineFacts> {
  const row = await db.pipeline.findUniqueOrThrow({
    where: { id: pipelineId },
    select: {
      sourceBranch: true,
      pipelineType: true,
      repository: { select: { githubId: true } },
      definitions: { orderBy: { version: "desc" }, take: 1, select: { definition: true } },
    },
  });
  return {
    sourceBranch: row.sourceBranch,
    pipelineType: row.pipelineType,
    definition: row.definitions[0]?.definition ?? null,
    repositoryGithubId: row.repository?.githubId ?? null,
  };
}

/** Pure: a verdict as stored (JSON written by the gate), or null when it is not one. */
export function verdictOf(value: unknown): GateCommitView["verdict"] {
  if (!value || typeof value !== "object") return null;
  const v = value as Record<string, unknown>;
  const names = (x: unknown) => (Array.isArray(x) ? x.filter((n): n is string => typeof n === "string") : []);
  return { passed: names(v.passed), failed: names(v.failed), waiting: names(v.waiting) };
}

export function commitStartOf(pipeline: GatePipelineRef, facts: PipelineFacts) {
  return commitStartSupport({
    pipelineType: facts.pipelineType,
    definition: facts.definition,
    repositoryFullName: pipeline.repository,
  });
}

export async function loadGateSettingsView(db: Db, pipeline: GatePipelineRef): Promise<GateSettingsView> {
  const [facts, gate, app, commits] = await Promise.all([
    readPipelineFacts(db, pipeline.id),
    readGate(db, pipeline.id),
    githubApp(),
    db.gateCommit.findMany({
      where: { pipelineId: pipeline.id },
      orderBy: [{ pushedAt: "desc" }, { id: "desc" }],
      take: RECENT_GATE_COMMITS,
      select: {
        sha: true,
        branch: true,
        state: true,
        verdict: true,
        executionId: true,
        lastError: true,
        supersededBy: true,
        updatedAt: true,
      },
    }),
  ]);
  return {
    pipeline: { ...pipeline, sourceBranch: facts.sourceBranch },
    settings: gate
      ? { ...gate, stored: true, updatedAt: gate.updatedAt.toISOString() }
      : { ...DEFAULT_GATE_SETTINGS, stored: false, updatedByLogin: null, updatedAt: null },
    commitStart: commitStartOf(pipeline, facts),
    ownTriggers:
      facts.definition === null
        ? []
        : ownTriggers({ pipelineType: facts.pipelineType, definition: facts.definition }).map((t) => ({
            kind: t.kind,
            sourceActionName: t.sourceActionName,
            description: t.description,
            seen: t.seen,
          })),
    githubApp: { configured: app !== null },
    recentCommits: commits.map((c) => ({
      ...c,
      verdict: verdictOf(c.verdict),
      updatedAt: c.updatedAt.toISOString(),
    })),
  };
}
