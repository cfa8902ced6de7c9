// A `push` delivery (pure): which branch of which repository moved, and which pipelines watch it. A pipeline with
// V2 git triggers watches what their push filters include (and do not exclude); one without watches its source
// action's branch; one whose branch is not known is checked anyway, since a needless check costs one request and a
// missed one a 20-minute wait. Tag pushes, deleted branches and pushes that moved nothing start no execution.
import { branchMatches } from "./branch-glob";
import { field } from "./payload-field";

export type PushFacts = { repository: string; branch: string; after: string };

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

const ZERO = /^0{40}$/;

export function pushFacts(payload: unknown): PushFacts | null {
  const ref = field(payload, "ref");
  const after = field(payload, "after");
  const repository = field(field(payload, "repository"), "full_name");
  if (typeof ref !== "string" || !ref.startsWith("refs/heads/") || typeof repository !== "string") return null;
  if (field(payload, "deleted") === true || typeof after !== "string" || ZERO.test(after)) return null;
  return { repository: repository.toLowerCase(), branch: ref.slice("refs/heads/".length), after: after.toLowerCase() };
}

/** Whether a push to `branch` can start the pipeline (`triggers` as AWS declares them, stored as JSON). */
export function watchesBranch(pipeline: { sourceBranch: string | null; triggers: unknown }, branch: string): boolean {
  const pushFilters = (Array.isArray(pipeline.triggers) ? pipeline.triggers : []).flatMap((trigger) => {
    const push = field(field(trigger, "gitConfiguration"), "push");
    return Array.isArray(push) ? (push as unknown[]) : [];
  });
  if (pushFilters.length === 0) return pipeline.sourceBranch === null || pipeline.sourceBranch === branch;
  return pushFilters.some((filter) => {
    const branches = field(filter, "branches");
    if (branches === undefined) return false; // a tags-only filter
    const includes = strings(field(branches, "includes"));
    const excludes = strings(field(branches, "excludes"));
    const included = includes.length === 0 || includes.some((p) => branchMatches(p, branch));
    return included && !excludes.some((p) => branchMatches(p, branch));
  });
}
