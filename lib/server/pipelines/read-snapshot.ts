import "server-only";
import type { PipelineStateSnapshot } from "@/lib/pipelines/state-snapshot";

/** Pipeline.state as written by the sync engine; anything not shaped like a snapshot reads as "no state". */
export function readSnapshot(json: unknown): PipelineStateSnapshot | null {
  if (!json || typeof json !== "object" || !Array.isArray((json as { stages?: unknown }).stages)) return null;
  return json as PipelineStateSnapshot;
}
