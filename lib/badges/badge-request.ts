// A badge URL read into what to look up and how to draw it. Pure: every part is the requester's text, so it is
// checked here and only ever reaches SQL as a parameter and the SVG through badge-maker, which escapes it.

export const BADGE_STYLES = ["flat", "flat-square", "plastic", "for-the-badge", "social"] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

/** Which executions count: any branch, one named branch, or the repository's default branch. */
export type BranchRule = { kind: "any" } | { kind: "named"; branch: string } | { kind: "default" };

export interface BadgeLookup {
  /** owner/name, lower-cased (as Repository rows are looked up). */
  fullName: string;
  /** Exact pipeline name (AWS names are case-sensitive); null for the repository's badge. */
  pipeline: string | null;
  stage: string | null;
  branch: BranchRule;
}

export interface BadgeRequest {
  /** Null when the address cannot name any repository or pipeline: the badge is "unknown" without a lookup. */
  lookup: BadgeLookup | null;
  label: string;
  style: BadgeStyle;
  /** The `key` parameter as given ("" when absent); compared with the repository's, never trusted. */
  key: string;
}

// GitHub's own rules for account and repository names; AWS's lengths for pipeline and stage names; a branch is
// at most what the sync stores. No control characters anywhere (Postgres refuses NUL in text, and none is a name).
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
const plain = (max: number) => new RegExp(`^[^\\u0000-\\u001f\\u007f]{1,${max}}$`, "u");
const NAME = plain(100);
const BRANCH = plain(255);
const LABEL_MAX = 100;
const KEY_MAX = 200;
const SUFFIX = ".svg";

const validRepo = (name: string) => REPO.test(name) && name !== "." && name !== "..";

/** `segment` without its `.svg`, or null when it has none (or nothing before it). */
function withoutSuffix(segment: string): string | null {
  return segment.endsWith(SUFFIX) && segment.length > SUFFIX.length ? segment.slice(0, -SUFFIX.length) : null;
}

/** Labels are shown, not matched: cut to a badge's length, control characters dropped. */
const labelText = (text: string) => [...text.replace(/[\u0000-\u001f\u007f]/gu, "")].slice(0, LABEL_MAX).join("");

function styleOf(value: string | null): BadgeStyle {
  return BADGE_STYLES.find((style) => style === value) ?? "flat";
}

export type BadgePath = { owner: string; repo: string; pipeline?: string };

/**
 * `/badges/<owner>/<repo>.svg` (path `{ owner, repo: "<repo>.svg" }`) or `/badges/<owner>/<repo>/<pipeline>.svg`
 * (`{ owner, repo, pipeline: "<pipeline>.svg" }`), with `?label=`, `?style=`, `?key=`, and for a pipeline
 * `?stage=`; `?branch=` on both.
 */
export function readBadgeRequest(path: BadgePath, query: URLSearchParams): BadgeRequest {
  const forPipeline = path.pipeline !== undefined;
  const repo = forPipeline ? path.repo : withoutSuffix(path.repo);
  const pipeline = forPipeline ? withoutSuffix(path.pipeline ?? "") : null;
  // Given empty, a parameter is as good as absent.
  const stageParam = forPipeline ? query.get("stage") || null : null;
  const branchParam = query.get("branch") || null;
  const keyParam = query.get("key") ?? "";
  const shownRepo = repo ?? path.repo;
  const shownPipeline = pipeline ?? path.pipeline ?? "";
  const defaultLabel = !forPipeline ? shownRepo : stageParam ? `${shownPipeline} · ${stageParam}` : shownPipeline;
  const labelParam = query.get("label");
  const valid =
    OWNER.test(path.owner) &&
    repo !== null &&
    validRepo(repo) &&
    (!forPipeline || (pipeline !== null && NAME.test(pipeline))) &&
    (stageParam === null || NAME.test(stageParam)) &&
    (branchParam === null || BRANCH.test(branchParam));
  return {
    lookup:
      valid && repo !== null
        ? {
            fullName: `${path.owner}/${repo}`.toLowerCase(),
            pipeline,
            stage: stageParam,
            branch:
              branchParam !== null
                ? { kind: "named", branch: branchParam }
                : forPipeline
                  ? { kind: "any" }
                  : { kind: "default" },
          }
        : null,
    // shields.io's rule: `?label=` given empty draws the message alone.
    label: labelText(labelParam ?? defaultLabel),
    style: styleOf(query.get("style")),
    key: keyParam.length <= KEY_MAX ? keyParam : "",
  };
}
