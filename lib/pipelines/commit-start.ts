// Whether Stageboard can start a pipeline at a chosen commit (StartPipelineExecution with
// `sourceRevisions: [{ actionName, revisionType: "COMMIT_ID", revisionValue: sha }]`), decided from the stored
// declaration alone, and in words an administrator can act on when it cannot.
//
// What AWS documents, and what it does not (CodePipeline User Guide and API Reference):
// - "Start a pipeline with a source revision override" (userguide/pipelines-trigger-source-overrides): the four
//   revision types COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID and S3_OBJECT_KEY; a COMMIT_ID "applies to all
//   content in the repository, across all branches"; its console and CLI examples give a commit ID for a
//   CodeCommit source. The page names no pipeline type and lists no provider as unsupported.
// - API Reference, SourceRevisionOverride.revisionType: "The type of source revision, based on the source
//   provider. For example, the revision type for the CodeCommit action provider is the commit ID." The types map
//   to providers: COMMIT_ID to the Git sources (CodeCommit, and CodeStarSourceConnection, whose trigger page
//   says it "fetches the exact commit"), IMAGE_DIGEST to ECR, the S3 types to S3 (S3_OBJECT_KEY only with
//   `AllowOverrideForS3ObjectKey` "true", action-reference-S3).
// - "What type of pipeline is right for me?" (userguide/pipeline-types-planning), its table of characteristics:
//   "Source revision overrides: V1 type Not supported, V2 type Supported" (and the same for pipeline-level
//   variables). So a V1 pipeline is refused whatever its source, and a V2 one still needs a source that takes
//   a commit.
// - The GitHub (via OAuth app) action, "GitHub (version 1)" (userguide/appendix-github-oauth,
//   action-reference-GitHub), is one AWS no longer recommends; neither its reference nor the override page says
//   it takes a COMMIT_ID override. Not documented either way: Stageboard does not build releases on undocumented
//   behaviour, so it treats the action as unable to start a chosen commit and asks for the move AWS recommends
//   anyway ("Update a GitHub (via OAuth app) source action to a GitHub (via GitHub App) source action").
// - The answer to an override AWS cannot apply: StartPipelineExecution models ValidationException,
//   ConflictException, PipelineNotFoundException and ConcurrentPipelineExecutionsLimitExceededException, and
//   documents no message for this case. The sandbox answers ValidationException with a message of its own
//   (sandbox/ops/source-overrides.ts), so that the start command's refusal is tested against a refusal.
import {
  CONNECTION_SOURCE_PROVIDERS,
  isCodeCommit,
  isConnection,
  isGitHubV1,
  readDeclaration,
  repositoryOf,
  type DeclaredPipeline,
  type DeclaredSource,
} from "./declaration-sources";

export interface CommitStartPipeline {
  /** The Pipeline row's type (V1, V2; null: not known, read as V1). */
  pipelineType: string | null;
  /** The stored declaration of the pipeline's current version (PipelineDefinition.definition); null: not read yet. */
  definition: unknown;
  /** The GitHub repository the pipeline is mapped to (owner/name), or null when it has none. */
  repositoryFullName: string | null;
}

export type CommitStartSupport = { ok: true; actionName: string } | { ok: false; reason: string };

const V2_NEEDED =
  "make it a V2 pipeline (update-pipeline with pipelineType V2): only V2 pipelines start at a chosen commit";
const MOVE_TO_CONNECTION =
  "its source is the GitHub (version 1) action, which cannot start a chosen commit; move it to a CodeStar connection source";

/** Why one source action cannot be started at a commit, or null when it can. */
function sourceRefusal(decl: DeclaredPipeline, source: DeclaredSource): string | null {
  const reasons: string[] = [];
  if (isGitHubV1(source)) reasons.push(MOVE_TO_CONNECTION);
  else if (!isConnection(source) && !isCodeCommit(source))
    reasons.push(`its source action ${source.name} (${source.provider}) has no commits to choose from`);
  if (decl.pipelineType !== "V2")
    reasons.push(reasons.length > 0 ? `and ${V2_NEEDED}` : `it is a V1 pipeline; ${V2_NEEDED}`);
  return reasons.length > 0 ? reasons.join(", ") : null;
}

/**
 * The source action of the pipeline's GitHub repository that a COMMIT_ID override starts, or why there is
 * none. One source action must read the repository: with two, a commit would have to be chosen for each, and
 * Stageboard releases one commit of one repository.
 */
export function commitStartSupport(pipeline: CommitStartPipeline): CommitStartSupport {
  if (pipeline.definition === null || pipeline.definition === undefined)
    return { ok: false, reason: "Stageboard has not read its declaration yet; it can tell after the next sync" };
  const repository = pipeline.repositoryFullName?.toLowerCase() ?? null;
  if (!repository)
    return {
      ok: false,
      reason:
        "it has no source on a GitHub repository Stageboard knows, so no commit's checks can release it; give it a CodeStar connection source on the repository",
    };
  const decl = readDeclaration(pipeline.definition, pipeline.pipelineType);
  const reading = decl.sources.filter((s) => repositoryOf(s) === repository);
  const [only, ...more] = reading;
  if (!only)
    return {
      ok: false,
      reason: `none of its source actions reads ${repository}; give it a CodeStar connection source on the repository`,
    };
  if (more.length > 0)
    return {
      ok: false,
      reason: `${reading.length} source actions (${reading.map((s) => s.name).join(", ")}) read ${repository}, and Stageboard starts one at a chosen commit; keep one source action for the repository`,
    };
  const refusal = sourceRefusal(decl, only);
  return refusal ? { ok: false, reason: refusal } : { ok: true, actionName: only.name };
}

/**
 * Whether a person's chosen commit for the named source action can be sent (the "Release change" command):
 * the same rule as commitStartSupport, for any source action of the pipeline.
 */
export function commitOverrideSupport(
  pipeline: Pick<CommitStartPipeline, "pipelineType" | "definition">,
  actionName: string,
): { ok: true } | { ok: false; reason: string } {
  if (pipeline.definition === null || pipeline.definition === undefined)
    return { ok: false, reason: "Stageboard has not read its declaration yet; it can tell after the next sync" };
  const decl = readDeclaration(pipeline.definition, pipeline.pipelineType);
  const source = decl.sources.find((s) => s.name === actionName);
  if (!source) return { ok: false, reason: `it has no source action named ${actionName}` };
  const refusal = sourceRefusal(decl, source);
  return refusal ? { ok: false, reason: refusal } : { ok: true };
}

/**
 * Whether a source action of this provider can be started at a chosen commit, as far as its provider alone says
 * (the "Release change" dialog offers a commit only for these; the pipeline's type and the repository still decide).
 */
export const providerTakesCommit = (provider: string): boolean =>
  CONNECTION_SOURCE_PROVIDERS.has(provider) || provider === "CodeCommit";
