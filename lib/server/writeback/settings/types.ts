// What a repository's write-back sends to GitHub, as its admins set it on the repository's settings page over the
// instance's defaults. settings/read.ts resolves it for one pipeline of the repository; the outbox (enqueue.ts) maps
// an execution to GitHub reports only under these settings.

/** Where a deploy-like stage deploys: GitHub's environment name and its flags on the deployment. */
export type EnvironmentTarget = { environment: string; production: boolean; transient: boolean };

export type WritebackSettings = {
  /** `CodePipeline · <pipeline>` and `Approval · <pipeline> · <stage>` check runs. */
  checkRuns: boolean;
  /** Commit status `codepipeline/<pipeline>`. */
  statuses: boolean;
  /** Also a commit status per stage, `codepipeline/<pipeline>/<stage>` (only while `statuses` is on). */
  stageStatuses: boolean;
  /** GitHub Deployments for the stages `environments` maps. */
  deployments: boolean;
  /** Stage name (as AWS names it) → environment, for this pipeline; a stage not in it makes no deployment. */
  environments: ReadonlyMap<string, EnvironmentTarget>;
};
