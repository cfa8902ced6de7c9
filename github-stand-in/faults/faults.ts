// Failures GitHub really produces, on demand: the secondary rate limit, the content-creation budget behind it, and
// answers lost after the work was done (a 502 from GitHub's front end, or a dropped connection), after which a
// client must look up what it created before trying again.
import { ContentBudget } from "./content-budget";

export const CREATION_KINDS = ["check_run", "deployment", "status", "deployment_status"] as const;
export type CreationKind = (typeof CREATION_KINDS)[number];
export const LOSS_MODES = ["502", "drop"] as const;
export type LossMode = (typeof LOSS_MODES)[number];

/** The creations "lose the answer" can hit, by route template. */
const CREATIONS: Record<string, CreationKind> = {
  "POST /repos/{owner}/{repo}/check-runs": "check_run",
  "POST /repos/{owner}/{repo}/deployments": "deployment",
  "POST /repos/{owner}/{repo}/statuses/{sha}": "status",
  "POST /repos/{owner}/{repo}/deployments/{deployment_id}/statuses": "deployment_status",
};

/** Content-creating requests: every write to a repository's resources (statuses, checks, deployments, environments). */
export function createsContent(method: string, template: string): boolean {
  return method !== "GET" && template.startsWith("/repos/");
}

export function creationKind(method: string, template: string): CreationKind | undefined {
  return CREATIONS[`${method} ${template}`];
}

export type ContentVerdict = { kind: "allowed" } | { kind: "secondary-limit"; retryAfterSeconds: number };

interface Loss {
  remaining: number;
  mode: LossMode;
  kinds: ReadonlySet<CreationKind>;
}

export class Faults {
  private secondary: { remaining: number; retryAfterSeconds: number } | null = null;
  private loss: Loss | null = null;
  private budget: ContentBudget | null = null;

  constructor(private readonly now: () => number) {}

  /** The next `count` content-creating requests answer GitHub's secondary-limit 403. */
  armSecondaryLimit(count: number, retryAfterSeconds: number): void {
    this.secondary = count > 0 ? { remaining: count, retryAfterSeconds } : null;
  }

  /** The next `count` creations of these kinds are done, then their answers are lost. */
  armLoss(count: number, mode: LossMode, kinds: readonly CreationKind[]): void {
    this.loss = count > 0 ? { remaining: count, mode, kinds: new Set(kinds) } : null;
  }

  /** GitHub's 80 a minute and 500 an hour times `scale`, per bucket; null turns the budget off. */
  setBudget(scale: number | null): void {
    this.budget = scale === null ? null : new ContentBudget(scale);
  }

  clear(): void {
    this.secondary = null;
    this.loss = null;
    this.budget = null;
  }

  /** Decides one content-creating request of `bucket` (an installation or a token). */
  admitContent(bucket: string): ContentVerdict {
    if (this.secondary) {
      const { retryAfterSeconds } = this.secondary;
      this.secondary.remaining -= 1;
      if (this.secondary.remaining <= 0) this.secondary = null;
      return { kind: "secondary-limit", retryAfterSeconds };
    }
    const answer = this.budget?.take(bucket, this.now());
    return answer?.kind === "refused"
      ? { kind: "secondary-limit", retryAfterSeconds: answer.retryAfterSeconds }
      : { kind: "allowed" };
  }

  /** Whether a creation of this kind is to lose its answer; a loss is spent only once the creation succeeded. */
  lossFor(kind: CreationKind | undefined): LossMode | null {
    return kind !== undefined && this.loss?.kinds.has(kind) ? this.loss.mode : null;
  }

  spendLoss(): void {
    if (!this.loss) return;
    this.loss.remaining -= 1;
    if (this.loss.remaining <= 0) this.loss = null;
  }

  toJson(): Record<string, unknown> {
    return {
      secondaryLimit: this.secondary,
      loseAnswers: this.loss ? { ...this.loss, kinds: [...this.loss.kinds] } : null,
      budget: this.budget
        ? { scale: this.budget.scale, ...this.budget.limits, usage: this.budget.usage(this.now()) }
        : null,
    };
  }
}
