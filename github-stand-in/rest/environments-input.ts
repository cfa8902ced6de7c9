// Reads PUT /repos/{owner}/{repo}/environments/{name}'s body as GitHub's schema does: a JSON object or nothing, with
// no keys beyond the four documented ones. Failures answer 422 "Invalid request." with the reason.
import { isJsonObject } from "../http/body";
import type { EnvironmentRecord, EnvironmentReviewer } from "../world/records";

const KEYS = new Set(["wait_timer", "prevent_self_review", "reviewers", "deployment_branch_policy"]);
const MAX_WAIT_MINUTES = 43_200;
const MAX_REVIEWERS = 6;
const MAX_NAME = 255;

export type EnvironmentSettings = Partial<
  Pick<EnvironmentRecord, "waitTimer" | "preventSelfReview" | "reviewers" | "branchPolicy">
>;

export type ParsedEnvironment = { kind: "ok"; settings: EnvironmentSettings } | { kind: "invalid"; message: string };

const invalid = (reason: string): ParsedEnvironment => ({ kind: "invalid", message: `Invalid request.\n\n${reason}` });

/** GitHub's rule for a name: up to 255 characters, none of them control characters. */
export function isEnvironmentName(name: string): boolean {
  return name.length > 0 && name.length <= MAX_NAME && !/[\u0000-\u001f\u007f]/.test(name);
}

function reviewers(value: unknown): EnvironmentReviewer[] | string {
  if (value === null) return [];
  if (!Array.isArray(value)) return `For 'properties/reviewers', ${JSON.stringify(value)} is not an array.`;
  if (value.length > MAX_REVIEWERS)
    return `No more than ${MAX_REVIEWERS} items are allowed; ${value.length} were supplied.`;
  const parsed: EnvironmentReviewer[] = [];
  for (const item of value as unknown[]) {
    if (!isJsonObject(item) || (item.type !== "User" && item.type !== "Team") || !Number.isSafeInteger(item.id))
      return `For 'properties/reviewers/items', ${JSON.stringify(item)} is not a reviewer ({"type": "User" or "Team", "id"}).`;
    parsed.push({ type: item.type, id: Number(item.id) });
  }
  return parsed;
}

export function parseEnvironmentBody(body: Record<string, unknown>): ParsedEnvironment {
  const extra = Object.keys(body).filter((k) => !KEYS.has(k));
  if (extra.length > 0) return invalid(`${extra.map((k) => `"${k}"`).join(", ")} is not a permitted key.`);
  const settings: EnvironmentSettings = {};
  const wait = body.wait_timer;
  if (wait !== undefined) {
    if (typeof wait !== "number" || !Number.isInteger(wait) || wait < 0 || wait > MAX_WAIT_MINUTES)
      return invalid(`For 'properties/wait_timer', ${JSON.stringify(wait)} is not an integer from 0 to 43200.`);
    settings.waitTimer = wait;
  }
  const selfReview = body.prevent_self_review;
  if (selfReview !== undefined) {
    if (typeof selfReview !== "boolean")
      return invalid(`For 'properties/prevent_self_review', ${JSON.stringify(selfReview)} is not a boolean.`);
    settings.preventSelfReview = selfReview;
  }
  if (body.reviewers !== undefined) {
    const parsed = reviewers(body.reviewers);
    if (typeof parsed === "string") return invalid(parsed);
    settings.reviewers = parsed;
  }
  const policy = body.deployment_branch_policy;
  if (policy === null) settings.branchPolicy = null;
  else if (policy !== undefined) {
    if (
      !isJsonObject(policy) ||
      typeof policy.protected_branches !== "boolean" ||
      typeof policy.custom_branch_policies !== "boolean"
    )
      return invalid(`"protected_branches", "custom_branch_policies" weren't supplied.`);
    // "protected_branches and custom_branch_policies … set to the same value" is GitHub's documented 422.
    if (policy.protected_branches === policy.custom_branch_policies)
      return invalid("Exactly one of protected_branches and custom_branch_policies must be true.");
    settings.branchPolicy = {
      protectedBranches: policy.protected_branches,
      customBranchPolicies: policy.custom_branch_policies,
    };
  }
  return { kind: "ok", settings };
}
