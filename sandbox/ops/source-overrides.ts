// Which source revision overrides StartPipelineExecution applies, and the ValidationException for one it cannot.
// The User Guide ("Start a pipeline with a source revision override") ties each revision type to its providers:
// a commit ID to the Git sources (CodeCommit and connections), an image digest to ECR, an object version or key to
// S3, the key only with `AllowOverrideForS3ObjectKey` "true" (action-reference-S3). "What type of pipeline is right
// for me?": "Source revision overrides: V1 type Not supported, V2 type Supported". A GitHub (version 1) source takes none: AWS documents no
// override for it. AWS documents no message for a refused override either; this wording is the sandbox's own, in
// the style of the service's other validation messages.
import type { ActionDeclaration, PipelineDeclaration, SourceRevisionOverride } from "@aws-sdk/client-codepipeline";

const PROVIDERS_BY_TYPE: Readonly<Record<string, ReadonlySet<string>>> = {
  COMMIT_ID: new Set(["CodeCommit", "CodeStarSourceConnection", "CodeConnections"]),
  IMAGE_DIGEST: new Set(["ECR"]),
  S3_OBJECT_VERSION_ID: new Set(["S3"]),
  S3_OBJECT_KEY: new Set(["S3"]),
};

/** Why AWS refuses the override for this source action, or null when it applies it. */
export function overrideRefusal(
  decl: PipelineDeclaration,
  source: ActionDeclaration,
  override: SourceRevisionOverride,
): string | null {
  const action = source.name ?? "";
  if ((decl.pipelineType ?? "V1") !== "V2")
    return `Source revision overrides are supported only for pipelines of type V2; pipeline '${decl.name ?? ""}' is of type ${decl.pipelineType ?? "V1"}.`;
  const type = override.revisionType ?? "";
  const provider = source.actionTypeId?.provider ?? "";
  if (!PROVIDERS_BY_TYPE[type]?.has(provider))
    return `Source revision type '${type}' is not supported for action '${action}' with provider '${provider}'.`;
  if (type === "S3_OBJECT_KEY" && (source.configuration?.AllowOverrideForS3ObjectKey ?? "").toLowerCase() !== "true")
    return `Source revision type 'S3_OBJECT_KEY' needs AllowOverrideForS3ObjectKey set to true on action '${action}'.`;
  return null;
}
