// The cast of the default fleet: GitHub owners, repositories and the pipelines that deliver them. The first
// entries are ordered so that even a small fleet has every interesting case (approval, disabled transition,
// non-GitHub source, V1 and V2, every execution mode).
import type { CommitAuthor } from "../core/types";

export type SourceKind = "github-v1" | "connection" | "s3" | "codecommit";
export type Template = "build" | "build-deploy" | "ecs-approval" | "lambda" | "full" | "codedeploy";

export interface PipelineSpec {
  name: string;
  repo?: string;
  branch: string;
  source: SourceKind;
  template: Template;
  type: "V1" | "V2";
  mode: "SUPERSEDED" | "QUEUED" | "PARALLEL";
  /** Stage whose inbound transition starts disabled. */
  frozenStage?: string;
  /** Where a connection source's repository lives (default GitHub). */
  connectionProvider?: "Bitbucket";
  /** Who writes its commits (default by owner, see AUTHORS_BY_OWNER): the first one every delivered commit. */
  authors?: Person[];
  /** Its approvals wait for a person: none is answered by the simulated reviewer. */
  waitsForPeople?: boolean;
  /** The approval action's timeoutInMinutes (AWS: 5 to 86,400; unset means 7 days). */
  approvalTimeoutMinutes?: number;
}

/**
 * Commit authors. ada, grace, linus and margaret are the GitHub stand-in's demo users (their e-mail links their commits to
 * their accounts, as on GitHub); the others have no account there, so their commits show with no GitHub user.
 */
export const PEOPLE = {
  ada: { name: "Ada Lovelace", email: "ada@example.com" },
  grace: { name: "Grace Hopper", email: "grace@example.com" },
  linus: { name: "Linus Torvalds", email: "linus@example.com" },
  margaret: { name: "Margaret Hamilton", email: "margaret@example.com" },
  priya: { name: "Priya Raman", email: "priya.raman@contractors.example" },
  sam: { name: "Sam Okafor", email: "sam@okafor.example" },
  bot: { name: "release-bot", email: "release-bot@ci.example" },
} satisfies Record<string, CommitAuthor>;
export type Person = keyof typeof PEOPLE;

export const AUTHORS_BY_OWNER: Record<string, Person[]> = {
  acme: ["sam", "ada", "priya", "linus"],
  globex: ["grace", "priya", "margaret", "sam"],
  initech: ["priya", "bot"],
};
/** Authors of pipelines with no GitHub repository, or made through CreatePipeline. */
export const DEFAULT_AUTHORS: [CommitAuthor, ...CommitAuthor[]] = [PEOPLE.bot, PEOPLE.priya];

export function authorsFor(spec: PipelineSpec): CommitAuthor[] {
  const people = spec.authors ?? AUTHORS_BY_OWNER[spec.repo?.split("/")[0] ?? ""];
  return people ? people.map((p) => PEOPLE[p]) : DEFAULT_AUTHORS;
}

export const CURATED: PipelineSpec[] = [
  {
    name: "web-app-prod",
    repo: "acme/web-app",
    branch: "main",
    source: "connection",
    template: "full",
    type: "V2",
    mode: "SUPERSEDED",
    frozenStage: "Production",
    // Nothing ada wrote: she may approve it. linus wrote it but only reads the repository.
    authors: ["linus", "priya", "sam"],
    waitsForPeople: true,
  },
  {
    name: "web-app-staging",
    repo: "acme/web-app",
    branch: "develop",
    source: "connection",
    template: "build-deploy",
    type: "V2",
    mode: "QUEUED",
  },
  {
    name: "api-prod",
    repo: "acme/api",
    branch: "main",
    source: "github-v1",
    template: "ecs-approval",
    type: "V1",
    mode: "SUPERSEDED",
    // Every release is ada's own commit: with self-approval prevented, she may not approve it.
    authors: ["ada", "sam", "priya"],
    waitsForPeople: true,
    approvalTimeoutMinutes: 1440,
  },
  { name: "legacy-batch-jobs", branch: "main", source: "s3", template: "build-deploy", type: "V1", mode: "SUPERSEDED" },
  {
    name: "payments-service",
    repo: "acme/payments",
    branch: "main",
    source: "connection",
    template: "full",
    type: "V2",
    mode: "PARALLEL",
  },
  {
    name: "storefront-prod",
    repo: "globex/storefront",
    branch: "main",
    source: "connection",
    template: "ecs-approval",
    type: "V2",
    mode: "QUEUED",
    // Written by people without a GitHub account, so both of the repository's writers (grace, margaret) may approve.
    authors: ["priya", "sam", "bot"],
    waitsForPeople: true,
    approvalTimeoutMinutes: 4320,
  },
  {
    name: "tps-reports",
    repo: "initech/tps-reports",
    branch: "master",
    source: "github-v1",
    template: "codedeploy",
    type: "V1",
    mode: "SUPERSEDED",
  },
  {
    name: "api-staging",
    repo: "acme/api",
    branch: "develop",
    source: "github-v1",
    template: "build-deploy",
    type: "V1",
    mode: "SUPERSEDED",
  },
  { name: "data-lake-etl", branch: "mainline", source: "codecommit", template: "lambda", type: "V2", mode: "QUEUED" },
  {
    name: "web-app-preview",
    repo: "acme/web-app",
    branch: "preview",
    source: "connection",
    template: "build",
    type: "V2",
    mode: "PARALLEL",
  },
  {
    name: "storefront-staging",
    repo: "globex/storefront",
    branch: "develop",
    source: "connection",
    template: "build-deploy",
    type: "V2",
    mode: "SUPERSEDED",
  },
  {
    name: "billing-api",
    repo: "initech/billing",
    branch: "main",
    source: "connection",
    template: "full",
    type: "V2",
    mode: "SUPERSEDED",
    frozenStage: "Approval",
  },
  {
    name: "payments-worker",
    repo: "acme/payments",
    branch: "main",
    source: "connection",
    template: "lambda",
    type: "V2",
    mode: "QUEUED",
  },
  {
    name: "mobile-backend",
    repo: "acme/mobile-backend",
    branch: "main",
    source: "github-v1",
    template: "ecs-approval",
    type: "V1",
    mode: "SUPERSEDED",
  },
  {
    name: "docs-site",
    repo: "acme/docs",
    branch: "main",
    source: "connection",
    template: "build",
    type: "V2",
    mode: "SUPERSEDED",
  },
  {
    name: "inventory-sync",
    repo: "globex/inventory",
    branch: "main",
    source: "connection",
    template: "lambda",
    type: "V2",
    mode: "PARALLEL",
  },
  {
    name: "infra-network",
    repo: "acme/infra",
    branch: "main",
    source: "connection",
    template: "codedeploy",
    type: "V2",
    mode: "QUEUED",
  },
  {
    name: "analytics-pipeline",
    repo: "globex/analytics",
    branch: "main",
    source: "github-v1",
    template: "build-deploy",
    type: "V1",
    mode: "SUPERSEDED",
  },
  {
    name: "auth-service",
    repo: "acme/auth",
    branch: "main",
    source: "connection",
    template: "full",
    type: "V2",
    mode: "SUPERSEDED",
  },
  {
    name: "search-indexer",
    repo: "acme/search",
    branch: "main",
    source: "connection",
    template: "lambda",
    type: "V2",
    mode: "SUPERSEDED",
  },
  {
    name: "printer-fleet",
    repo: "initech/printer-fleet",
    branch: "main",
    source: "github-v1",
    template: "codedeploy",
    type: "V1",
    mode: "SUPERSEDED",
  },
  {
    name: "notifications",
    repo: "acme/notifications",
    branch: "main",
    source: "connection",
    template: "ecs-approval",
    type: "V2",
    mode: "PARALLEL",
  },
  {
    name: "storefront-assets",
    repo: "globex/storefront",
    branch: "main",
    source: "connection",
    template: "build",
    type: "V2",
    mode: "QUEUED",
  },
  {
    name: "web-app-canary",
    repo: "acme/web-app",
    branch: "main",
    source: "connection",
    template: "ecs-approval",
    type: "V2",
    mode: "SUPERSEDED",
  },
];

const OWNERS = ["acme", "acme", "acme", "globex", "initech"] as const;
/** Synthetic repositories in this slot of OWNERS (initech's) are on Bitbucket when delivered through a connection. */
const BITBUCKET_OWNER_SLOT = 4;
const SERVICES = [
  "orders",
  "catalog",
  "checkout",
  "ledger",
  "profile",
  "gateway",
  "media",
  "reports",
  "scheduler",
  "pricing",
] as const;
const TEMPLATES: Template[] = ["build", "build-deploy", "ecs-approval", "lambda", "full", "codedeploy"];
const MODES = ["SUPERSEDED", "QUEUED", "PARALLEL"] as const;

/** Specs past the curated ones: repos with one to three pipelines each (staging, prod, canary). */
export function syntheticSpec(i: number, u: (salt: string) => number): PipelineSpec {
  const repoIndex = Math.floor(i / 2);
  const owner = OWNERS[repoIndex % OWNERS.length] ?? "acme";
  const service = `${SERVICES[repoIndex % SERVICES.length] ?? "svc"}-${Math.floor(repoIndex / SERVICES.length)}`;
  const env = i % 2 === 0 ? "prod" : "staging";
  const nonGit = u("nongit") < 0.04;
  const v1 = u("v1") < 0.3;
  return {
    name: `${owner}-${service}-${env}`,
    ...(nonGit ? {} : { repo: `${owner}/${service}` }),
    branch: env === "prod" ? "main" : "develop",
    source: nonGit ? (u("s3") < 0.5 ? "s3" : "codecommit") : v1 ? "github-v1" : "connection",
    template: TEMPLATES[Math.floor(u("template") * TEMPLATES.length)] ?? "build",
    type: v1 ? "V1" : "V2",
    mode: v1 ? "SUPERSEDED" : (MODES[Math.floor(u("mode") * MODES.length)] ?? "SUPERSEDED"),
    ...(u("frozen") < 0.03 ? { frozenStage: "Deploy" } : {}),
    // Decided by position, not by a draw, so every other property of every spec stays what it was.
    ...(!nonGit && !v1 && repoIndex % OWNERS.length === BITBUCKET_OWNER_SLOT
      ? { connectionProvider: "Bitbucket" as const }
      : {}),
  };
}

export const COMMIT_MESSAGES: readonly string[] = [
  "Fix flaky checkout test",
  'Revert "Add dark mode toggle"',
  "feat(api): add pagination to /orders",
  "Bump lodash from 4.17.20 to 4.17.21",
  "Escape <img src=x onerror=alert(1)> in product titles",
  "🚀 Release 2.4.0",
  "Merge pull request #482 from acme/feature/payments-retry\n\nRetry card payments on gateway timeouts",
  "chore: update CI cache keys",
  "Use 'strict' mode & remove \"legacy\" flags",
  "fix: handle null customer <script>alert('x')</script>",
  "Update README.md",
  "perf: cache catalog lookups ⚡️",
  "Add health check endpoint\n\n- /healthz returns 200\n- /readyz checks the database",
  "hotfix: roll back tax rounding change 🐛",
  "Refactor auth middleware",
  "docs: explain `--dry-run` and <b>bold</b> claims",
  "Merge branch 'release/3.1' into main",
  "Tweak ECS task memory to 1024 MiB",
  "feat: multi-region failover 🌍\n\nCo-authored-by: Jane Doe <jane@example.com>",
  "test: cover the \\ backslash path on Windows",
];

export const AUTHORS = ["alice", "bob", "carol", "dmitri", "erin", "farah", "gus"] as const;
