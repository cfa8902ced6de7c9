// The stored shape of Pipeline.state, versioned. Version 2 is the snapshot (lib/pipelines/state-snapshot.ts)
// plus what is derived from it once, when it is written: where each execution it names stands. Rows written
// before versions existed (no `version` key) are version 1: the bare snapshot, migrated when read.
import "server-only";
import { z } from "zod";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";

// Fields added to the shape over time read as empty on older rows instead of hiding the whole state.
const text = z.string().nullable().catch(null);
const count = z.number().nullable().catch(null);

const StageExecutionRefSchema = z.object({ executionId: z.string(), status: z.string(), type: text });

const TransitionSchema = z.object({
  enabled: z.boolean(),
  disabledReason: text,
  lastChangedBy: text,
  lastChangedAt: text,
});

const ActionStateSchema = z.object({
  name: z.string(),
  latestExecutionId: text,
  status: text,
  summary: text,
  lastStatusChange: text,
  externalExecutionId: text,
  externalExecutionUrl: text,
  errorCode: text,
  errorMessage: text,
  percentComplete: count,
  hasToken: z.boolean().catch(false),
  revisionId: text,
  revisionUrl: text,
  entityUrl: text,
});

const StageStateSchema = z.object({
  name: z.string(),
  latestExecution: StageExecutionRefSchema.nullable().catch(null),
  inboundTransition: TransitionSchema.nullable().catch(null),
  inboundExecutions: z.array(StageExecutionRefSchema).catch([]),
  actions: z.array(ActionStateSchema),
  conditions: z
    .array(
      z.object({
        kind: z.enum(["BEFORE_ENTRY", "ON_SUCCESS", "ON_FAILURE"]),
        status: text,
        summary: text,
        executionId: text,
      }),
    )
    .catch([]),
  retry: z.object({ autoAttempts: count, manualAttempts: count, latestTrigger: text }).nullable().catch(null),
});

export const SnapshotSchema = z.object({
  pipelineVersion: count,
  created: text,
  updated: text,
  stages: z.array(StageStateSchema),
}) satisfies z.ZodType<PipelineStateSnapshot>;

/** Where an execution stands in the state: the stage it runs in, else waits before, else last reached. */
export const PositionSchema = z.object({ stage: z.string(), waiting: z.boolean() });
export type Position = z.infer<typeof PositionSchema>;

export const DerivedSchema = z.object({
  /** The source action the repository mapping follows (commit and branch come from it); null: none. */
  sourceActionName: z.string().nullable(),
  /** By AWS execution id, for every execution the state names. */
  positions: z.record(z.string(), PositionSchema),
});
export type Derived = z.infer<typeof DerivedSchema>;

export const STATE_VERSION = 2;

export const StoredStateSchema = SnapshotSchema.extend({
  version: z.literal(STATE_VERSION),
  derived: DerivedSchema,
});
export type StoredState = z.infer<typeof StoredStateSchema>;
