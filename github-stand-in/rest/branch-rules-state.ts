import type { StandInState } from "../state";
import { key } from "../world/names";

// What GitHub knows of a repository's branch rules, as far as required checks go: its rulesets (which apply to
// branches by ref-name patterns, and count only while enforced as "active") and its classic branch protection, set
// per branch. Both are set through POST /_stand-in/branch-rules and read back through GitHub's two REST routes.

export type RulesetEnforcement = "active" | "evaluate" | "disabled";
/** Rules without parameters, kept so that a branch's rules hold more than required checks, as on GitHub. */
export const PLAIN_RULE_TYPES = [
  "creation",
  "deletion",
  "required_linear_history",
  "required_signatures",
  "non_fast_forward",
] as const;
export type PlainRuleType = (typeof PLAIN_RULE_TYPES)[number];

export interface RulesetRecord {
  id: number;
  name: string;
  enforcement: RulesetEnforcement;
  /** `conditions.ref_name` as GitHub writes it: `refs/heads/<glob>`, `~DEFAULT_BRANCH` or `~ALL`. */
  include: string[];
  exclude: string[];
  /** Required checks; none means the ruleset has no required_status_checks rule. */
  checks: { context: string; integrationId: number | null }[];
  strict: boolean;
  rules: PlainRuleType[];
}

/** A protected branch; `checks` null when its protection does not require status checks. */
export interface ProtectionRecord {
  strict: boolean;
  checks: { context: string; appId: number | null }[] | null;
}

export class BranchRules {
  private nextId = 1;
  private readonly rulesets = new Map<string, RulesetRecord[]>();
  private readonly protections = new Map<string, Map<string, ProtectionRecord>>();
  /** Repositories whose GitHub answers the rules route 404, as a GitHub Enterprise Server older than rulesets does. */
  private readonly withoutRulesets = new Set<string>();

  rulesetId(): number {
    return this.nextId++;
  }

  setRulesets(repository: string, rulesets: RulesetRecord[]): void {
    this.rulesets.set(key(repository), rulesets);
  }

  setRulesetsAvailable(repository: string, available: boolean): void {
    if (available) this.withoutRulesets.delete(key(repository));
    else this.withoutRulesets.add(key(repository));
  }

  rulesetsAvailable(repository: string): boolean {
    return !this.withoutRulesets.has(key(repository));
  }

  rulesetsOf(repository: string): RulesetRecord[] {
    return this.rulesets.get(key(repository)) ?? [];
  }

  /** null removes the branch's protection. Branch names are case-sensitive on GitHub. */
  setProtection(repository: string, branch: string, protection: ProtectionRecord | null): void {
    const branches = this.protections.get(key(repository)) ?? new Map<string, ProtectionRecord>();
    if (protection) branches.set(branch, protection);
    else branches.delete(branch);
    this.protections.set(key(repository), branches);
  }

  protectionOf(repository: string, branch: string): ProtectionRecord | undefined {
    return this.protections.get(key(repository))?.get(branch);
  }

  toJson(): unknown {
    return {
      rulesets: Object.fromEntries(this.rulesets),
      withoutRulesets: [...this.withoutRulesets],
      protection: Object.fromEntries(
        [...this.protections].map(([repo, branches]) => [repo, Object.fromEntries(branches)]),
      ),
    };
  }
}

// One store per running stand-in, beside its state rather than in it: only these routes and their control use it.
const STORES = new WeakMap<StandInState, BranchRules>();

export function branchRulesOf(state: StandInState): BranchRules {
  let store = STORES.get(state);
  if (!store) {
    store = new BranchRules();
    STORES.set(state, store);
  }
  return store;
}

function globToRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === "*" && glob[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^$()|[\]\\{}]/g, "\\$&");
  }
  return new RegExp(`^${source}$`);
}

/** Does a ref-name condition pattern take in the branch? fnmatch-style, as GitHub's rulesets match. */
function patternMatches(pattern: string, branch: string, defaultBranch: string): boolean {
  if (pattern === "~ALL") return true;
  if (pattern === "~DEFAULT_BRANCH") return branch === defaultBranch;
  return globToRegExp(pattern).test(`refs/heads/${branch}`);
}

/** The rulesets GitHub applies to a branch: active ones whose conditions include it and do not exclude it. */
export function rulesetsFor(rulesets: RulesetRecord[], branch: string, defaultBranch: string): RulesetRecord[] {
  return rulesets.filter(
    (r) =>
      r.enforcement === "active" &&
      r.include.some((p) => patternMatches(p, branch, defaultBranch)) &&
      !r.exclude.some((p) => patternMatches(p, branch, defaultBranch)),
  );
}
