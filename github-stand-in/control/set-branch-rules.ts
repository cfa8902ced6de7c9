import type { JsonObject } from "../http/body";
import { isJsonObject } from "../http/body";
import type { StandInState } from "../state";
import { parseFullName } from "../world/names";
import { branchRulesOf, PLAIN_RULE_TYPES } from "../rest/branch-rules-state";
import type { PlainRuleType, ProtectionRecord, RulesetEnforcement, RulesetRecord } from "../rest/branch-rules-state";

type Result = { status: number; body: unknown };
type Parsed<T> = { kind: "ok"; value: T } | { kind: "bad"; error: string };

const ENFORCEMENTS: readonly RulesetEnforcement[] = ["active", "evaluate", "disabled"];
const NAME_MAX = 255;

const isName = (value: unknown): value is string =>
  typeof value === "string" && value !== "" && value.length <= NAME_MAX;
const isId = (value: unknown): value is number => typeof value === "number" && Number.isSafeInteger(value) && value > 0;
const strings = (value: unknown): value is string[] => Array.isArray(value) && value.every(isName);

/** "build" or {"context": "build", "<idKey>": 15368}: a required check, from any App or from one. */
function parseChecks(
  value: unknown,
  idKey: "integrationId" | "appId",
): { context: string; id: number | null }[] | null {
  if (!Array.isArray(value)) return null;
  const checks: { context: string; id: number | null }[] = [];
  for (const item of value) {
    if (isName(item)) checks.push({ context: item, id: null });
    else if (isJsonObject(item) && isName(item.context) && (item[idKey] === undefined || isId(item[idKey])))
      checks.push({ context: item.context, id: item[idKey] ?? null });
    else return null;
  }
  return checks;
}

function parseRuleset(state: StandInState, item: unknown): Parsed<RulesetRecord> {
  const bad = (error: string): Parsed<RulesetRecord> => ({ kind: "bad", error });
  if (!isJsonObject(item)) return bad("each ruleset must be an object");
  const enforcement = item.enforcement ?? "active";
  if (!ENFORCEMENTS.includes(enforcement as RulesetEnforcement))
    return bad("enforcement must be active, evaluate or disabled");
  const include = item.include ?? ["~DEFAULT_BRANCH"];
  const exclude = item.exclude ?? [];
  if (!strings(include) || !strings(exclude))
    return bad("include and exclude are lists of refs/heads/<pattern>, ~DEFAULT_BRANCH or ~ALL");
  const checks = parseChecks(item.checks ?? [], "integrationId");
  if (!checks) return bad('checks must be a list of names or {"context", "integrationId"?}');
  const rules = item.rules ?? [];
  if (!Array.isArray(rules) || !rules.every((r) => PLAIN_RULE_TYPES.includes(r as PlainRuleType)))
    return bad(`rules may only name ${PLAIN_RULE_TYPES.join(", ")}`);
  if (item.strict !== undefined && typeof item.strict !== "boolean") return bad("strict must be true or false");
  const id = branchRulesOf(state).rulesetId();
  return {
    kind: "ok",
    value: {
      id,
      name: isName(item.name) ? item.name : `ruleset ${id}`,
      enforcement: enforcement as RulesetEnforcement,
      include,
      exclude,
      checks: checks.map((c) => ({ context: c.context, integrationId: c.id })),
      strict: item.strict === true,
      rules: rules as PlainRuleType[],
    },
  };
}

function parseProtection(value: unknown): Parsed<ProtectionRecord | null> {
  if (value === null) return { kind: "ok", value: null };
  if (!isJsonObject(value)) return { kind: "bad", error: "each branch's protection must be an object or null" };
  if (value.strict !== undefined && typeof value.strict !== "boolean")
    return { kind: "bad", error: "strict must be true or false" };
  if (value.checks === null) return { kind: "ok", value: { strict: false, checks: null } };
  const checks = parseChecks(value.checks ?? [], "appId");
  if (!checks) return { kind: "bad", error: 'checks must be null or a list of names or {"context", "appId"?}' };
  return {
    kind: "ok",
    value: { strict: value.strict === true, checks: checks.map((c) => ({ context: c.context, appId: c.id })) },
  };
}

/**
 * POST /_stand-in/branch-rules – a repository's rules for its branches; each key is optional:
 * {"repository": "owner/name",
 *  "rulesets": [{"name"?, "enforcement"?: "active"|"evaluate"|"disabled", "include"?: ["refs/heads/main"] (default
 *    ["~DEFAULT_BRANCH"]), "exclude"?, "checks"?: ["build", {"context", "integrationId"}], "strict"?, "rules"?:
 *    ["deletion", …]}] – replaces every ruleset of the repository; "unavailable": the rules route answers 404, as
 *    on a GitHub Enterprise Server older than rulesets (any list makes it available again);
 *  "protection": {"<branch>": {"checks": ["build", {"context", "appId"}] | null, "strict"?} | null} – sets each
 *    branch's classic protection (checks null: protected without required checks; null: not protected).}
 */
export function setBranchRules(state: StandInState, body: JsonObject): Result {
  const bad = (error: string): Result => ({ status: 400, body: { error } });
  const parsed = parseFullName(body.repository);
  const repository = parsed ? state.world.repository(parsed.owner, parsed.name) : undefined;
  if (!repository) return bad("unknown repository");
  const store = branchRulesOf(state);

  let rulesets: RulesetRecord[] | "unavailable" | undefined;
  if (body.rulesets === "unavailable") rulesets = "unavailable";
  else if (body.rulesets !== undefined) {
    if (!Array.isArray(body.rulesets)) return bad('rulesets must be a list or "unavailable"');
    rulesets = [];
    for (const item of body.rulesets) {
      const ruleset = parseRuleset(state, item);
      if (ruleset.kind === "bad") return bad(ruleset.error);
      rulesets.push(ruleset.value);
    }
  }
  const protections: [string, ProtectionRecord | null][] = [];
  if (body.protection !== undefined) {
    if (!isJsonObject(body.protection)) return bad("protection must map branch names to their protection");
    for (const [branch, value] of Object.entries(body.protection)) {
      if (!isName(branch)) return bad("branch names must not be empty");
      const protection = parseProtection(value);
      if (protection.kind === "bad") return bad(protection.error);
      protections.push([branch, protection.value]);
    }
  }
  // Applied only once everything parsed: a refused body changes nothing.
  if (rulesets) store.setRulesetsAvailable(repository.fullName, rulesets !== "unavailable");
  if (rulesets) store.setRulesets(repository.fullName, rulesets === "unavailable" ? [] : rulesets);
  for (const [branch, protection] of protections) store.setProtection(repository.fullName, branch, protection);
  return {
    status: 200,
    body: {
      repository: repository.fullName,
      rulesets: store.rulesetsOf(repository.fullName),
      protection: Object.fromEntries(
        protections.map(([branch]) => [branch, store.protectionOf(repository.fullName, branch) ?? null]),
      ),
    },
  };
}
