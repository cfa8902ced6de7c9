import { z } from "zod";

// What GitHub write-back sends, instance-wide (README "GitHub write-back"); each repository's admins may override
// every switch on its settings page (lib/server/writeback/settings/).

const flag = (fallback: boolean) =>
  z
    .enum(["true", "false", "1", "0"], { message: "must be true or false" })
    .default(fallback ? "true" : "false")
    .transform((v) => v === "true" || v === "1");

export const writebackSchema = {
  /** `CodePipeline · <pipeline>` and `Approval · <pipeline> · <stage>` check runs. */
  WRITEBACK_CHECK_RUNS: flag(true),
  /** Commit statuses `codepipeline/<pipeline>`, for branch protection rules that require status contexts. */
  WRITEBACK_STATUSES: flag(false),
  /** Also `codepipeline/<pipeline>/<stage>` (with WRITEBACK_STATUSES). */
  WRITEBACK_STAGE_STATUSES: flag(false),
  /** GitHub Deployments for stages mapped to environments. */
  WRITEBACK_DEPLOYMENTS: flag(true),
};
