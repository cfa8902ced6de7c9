import { createHash } from "node:crypto";

// The clientRequestToken of the gate's StartPipelineExecution for one commit of one pipeline. The same commit of the
// same pipeline always gives the same token, so a start sent again after a crash (the row said "releasing", the
// answer never stored) is one AWS already knows and starts nothing new. A hash, because AWS takes only
// `[a-zA-Z0-9-]{1,128}` and pipeline ids and SHAs must not be mistaken for one another by being joined.
export function gateStartToken(pipelineId: string, sha: string): string {
  const digest = createHash("sha256").update(`${pipelineId}\0${sha.toLowerCase()}`).digest("hex");
  return `stageboard-gate-${digest}`;
}
