import "server-only";
import type { FeedTx } from "@/lib/server/feed/consumer";
import { defaultEnvironment } from "@/lib/server/writeback/settings/default-environments";
import { readStoredForPipeline } from "@/lib/server/writeback/settings/stored";

// Which stages of a pipeline deploy to production: the repository's write-back environment mapping where it names
// the stage, else the same default write-back uses (a stage named like production: Prod, Deploy-Production, live).
// One definition of "production" for GitHub's Environments page and for the DORA figures.

export type ProductionRule = (stageName: string) => boolean;

export async function productionRule(tx: FeedTx, pipelineId: string): Promise<ProductionRule> {
  const stored = await readStoredForPipeline(tx, pipelineId);
  return (stageName) => {
    if (stored?.environments.has(stageName)) return stored.environments.get(stageName)?.production ?? false;
    return defaultEnvironment(stageName)?.production ?? false;
  };
}
