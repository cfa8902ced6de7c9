import { paginate } from "../http/pagination";
import { apiUrl } from "../shapes/urls";
import { repositoryPermission } from "./access";
import { branchRulesOf, rulesetsFor } from "./branch-rules-state";
import type { RulesetRecord } from "./branch-rules-state";
import type { RestContext } from "./context";
import { fail, notFound, reply } from "./context";

const RULES_DOCS = "https://docs.github.com/rest/repos/rules#get-rules-for-a-branch";
const PROTECTION_DOCS = "https://docs.github.com/rest/branches/branch-protection#get-status-checks-protection";
/** Every stand-in repository's default branch, as its repository objects say. */
const DEFAULT_BRANCH = "main";

/** `repository-rule-detailed` items: each rule of each ruleset, with the ruleset it comes from. */
function ruleShapes(ruleset: RulesetRecord, repository: string): Record<string, unknown>[] {
  const source = { ruleset_source_type: "Repository", ruleset_source: repository, ruleset_id: ruleset.id };
  const rules: Record<string, unknown>[] = ruleset.rules.map((type) => ({ type, ...source }));
  if (ruleset.checks.length > 0)
    rules.push({
      type: "required_status_checks",
      parameters: {
        do_not_enforce_on_create: false,
        required_status_checks: ruleset.checks.map((c) =>
          c.integrationId === null ? { context: c.context } : { context: c.context, integration_id: c.integrationId },
        ),
        strict_required_status_checks_policy: ruleset.strict,
      },
      ...source,
    });
  return rules;
}

// GET /repos/{owner}/{repo}/rules/branches/{branch} – the active rules that apply to a branch, existing or not
export function getBranchRules(ctx: RestContext): void {
  // Rules are repository metadata: every App installed on the repository reads them, whatever else it may do.
  const access = repositoryPermission(ctx, { permission: "metadata", level: "read", docs: RULES_DOCS });
  if (!access) return;
  const repository = access.repository.fullName;
  const branch = ctx.params.branch ?? "";
  if (!branchRulesOf(ctx.state).rulesetsAvailable(repository)) return notFound(ctx, RULES_DOCS);
  const rules = rulesetsFor(branchRulesOf(ctx.state).rulesetsOf(repository), branch, DEFAULT_BRANCH).flatMap((r) =>
    ruleShapes(r, repository),
  );
  const page = paginate(rules, ctx.url, ctx.base);
  reply(ctx, 200, page.items, page.link ? { link: page.link } : {});
}

// GET /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks – classic protection's checks
export function getRequiredStatusChecks(ctx: RestContext): void {
  // Branch protection is administration: an App without that permission is refused (403), a person needs admin.
  const access = repositoryPermission(ctx, { permission: "administration", level: "read", docs: PROTECTION_DOCS });
  if (!access) return;
  const repository = access.repository.fullName;
  const branch = ctx.params.branch ?? "";
  const protection = branchRulesOf(ctx.state).protectionOf(repository, branch);
  if (!protection) return fail(ctx, 404, "Branch not protected", PROTECTION_DOCS);
  if (!protection.checks) return fail(ctx, 404, "Required status checks not enabled", PROTECTION_DOCS);
  const url = apiUrl(
    ctx.base,
    `/repos/${repository}/branches/${encodeURIComponent(branch)}/protection/required_status_checks`,
  );
  reply(ctx, 200, {
    url,
    strict: protection.strict,
    // `contexts` is the older form: every required name, whichever App it must come from.
    contexts: protection.checks.map((c) => c.context),
    checks: protection.checks.map((c) => ({ context: c.context, app_id: c.appId })),
    contexts_url: `${url}/contexts`,
  });
}
