// The parts of a stored pipeline declaration (PipelineDefinition.definition: AWS's PipelineDeclaration with
// secrets removed) that decide how the pipeline can be started: its type, its source actions and its V2
// triggers. The JSON came from AWS, so every field is checked rather than cast; anything malformed is left
// out, which makes the decisions built on it refuse rather than guess.

export interface DeclaredSource {
  stageName: string;
  name: string;
  /** actionTypeId.owner: AWS, ThirdParty or Custom. */
  owner: string;
  provider: string;
  version: string;
  configuration: Readonly<Record<string, string>>;
}

export interface DeclaredTrigger {
  providerType: string;
  sourceActionName: string;
  pushFilters: number;
  pullRequestFilters: number;
  /** Branch and tag patterns the push filters include, for saying which pushes start the pipeline. */
  pushBranches: string[];
  pushTags: string[];
}

export interface DeclaredPipeline {
  pipelineType: string | null;
  sources: DeclaredSource[];
  triggers: DeclaredTrigger[];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const text = (v: unknown): string | null => (typeof v === "string" ? v : null);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function configurationOf(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(v)) return out;
  for (const [key, value] of Object.entries(v)) if (typeof value === "string") out[key] = value;
  return out;
}

function sourceOf(stageName: string, action: unknown): DeclaredSource | null {
  if (!isRecord(action) || !isRecord(action.actionTypeId)) return null;
  const type = action.actionTypeId;
  const name = text(action.name);
  const provider = text(type.provider);
  if (type.category !== "Source" || !name || !provider) return null;
  return {
    stageName,
    name,
    owner: text(type.owner) ?? "",
    provider,
    version: text(type.version) ?? "",
    configuration: configurationOf(action.configuration),
  };
}

function includes(filters: unknown[], key: "branches" | "tags"): string[] {
  return filters.flatMap((f) => {
    const criteria = isRecord(f) ? f[key] : undefined;
    return isRecord(criteria) ? list(criteria.includes).filter((p): p is string => typeof p === "string") : [];
  });
}

function triggerOf(trigger: unknown): DeclaredTrigger | null {
  if (!isRecord(trigger) || !isRecord(trigger.gitConfiguration)) return null;
  const git = trigger.gitConfiguration;
  const sourceActionName = text(git.sourceActionName);
  if (!sourceActionName) return null;
  const push = list(git.push);
  return {
    providerType: text(trigger.providerType) ?? "",
    sourceActionName,
    pushFilters: push.length,
    pullRequestFilters: list(git.pullRequest).length,
    pushBranches: includes(push, "branches"),
    pushTags: includes(push, "tags"),
  };
}

/**
 * Reads a stored declaration. `pipelineType` is the Pipeline row's (ListPipelines' summary) when given, else the
 * declaration's own; AWS answers V1 for pipelines created before types existed, and a missing type is V1 too.
 */
export function readDeclaration(definition: unknown, pipelineType?: string | null): DeclaredPipeline {
  const decl = isRecord(definition) ? definition : {};
  const sources = list(decl.stages).flatMap((stage) => {
    if (!isRecord(stage)) return [];
    const stageName = text(stage.name) ?? "";
    return list(stage.actions)
      .map((action) => sourceOf(stageName, action))
      .filter((s): s is DeclaredSource => s !== null);
  });
  const triggers = list(decl.triggers)
    .map(triggerOf)
    .filter((t): t is DeclaredTrigger => t !== null);
  return { pipelineType: pipelineType ?? text(decl.pipelineType), sources, triggers };
}

/** Connection sources: CodeStar Connections, renamed CodeConnections (both provider names exist). */
export const CONNECTION_SOURCE_PROVIDERS: ReadonlySet<string> = new Set([
  "CodeStarSourceConnection",
  "CodeConnections",
]);

export const isGitHubV1 = (s: DeclaredSource): boolean => s.provider === "GitHub" && s.owner === "ThirdParty";
export const isConnection = (s: DeclaredSource): boolean => CONNECTION_SOURCE_PROVIDERS.has(s.provider);
export const isCodeCommit = (s: DeclaredSource): boolean => s.provider === "CodeCommit" && s.owner === "AWS";

/** The owner/name a Git source reads, lower-cased, or null (CodeCommit names a repository of its own account). */
export function repositoryOf(s: DeclaredSource): string | null {
  const full = isGitHubV1(s)
    ? `${s.configuration.Owner ?? ""}/${s.configuration.Repo ?? ""}`
    : isConnection(s)
      ? (s.configuration.FullRepositoryId ?? "")
      : "";
  const parts = full.split("/");
  return parts.length === 2 && parts[0] && parts[1] ? full.toLowerCase() : null;
}

/** A configuration flag AWS reads as true unless it is "false" (any case): PollForSourceChanges, DetectChanges. */
export function flagOn(configuration: Readonly<Record<string, string>>, key: string): boolean {
  return (configuration[key] ?? "true").trim().toLowerCase() !== "false";
}
