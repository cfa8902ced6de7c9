// What every operation handler receives, and the lookups they share.
import { AwsError, pipelineNotFound } from "../core/errors";
import type { PipelineRecord } from "../core/types";
import type { World } from "../core/world";
import { currentDeclaration } from "../sim/lookup";

export interface OpContext {
  world: World;
  /** ARN of the caller, recorded where AWS records who did something (lastChangedBy, updatedBy, triggerDetail). */
  actor: string;
  /** Keys page tokens. */
  secret: string;
}

export type Handler = (ctx: OpContext, input: Record<string, unknown>) => unknown;

export function pipelineNamed(ctx: OpContext, name: unknown): PipelineRecord {
  const p = typeof name === "string" ? ctx.world.pipelines.get(name) : undefined;
  if (!p) throw pipelineNotFound(ctx.world.env.account, String(name));
  return p;
}

export function requireStage(p: PipelineRecord, stageName: unknown): number {
  const index = (currentDeclaration(p).stages ?? []).findIndex((s) => s.name === stageName);
  if (index < 0)
    throw new AwsError(
      "StageNotFoundException",
      `The stage '${String(stageName)}' does not exist in pipeline '${p.name}'.`,
    );
  return index;
}

export function maxResults(input: Record<string, unknown>, fallback: number): number {
  return typeof input.maxResults === "number" ? input.maxResults : fallback;
}

export function str(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
