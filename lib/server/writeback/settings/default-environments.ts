import type { EnvironmentTarget } from "./types";

// Which stages deploy, when nobody said (pure): a stage named like an environment (Staging, Prod, Deploy-Staging,
// DeployToProd, prod-eu-west-1, …) deploys to an environment of the stage's own name. Production-like names are
// production; preview, review and ephemeral ones are transient. Everything else (Source, Build, Test, Approval)
// deploys nowhere: a wrong deployment on GitHub's Environments page is worse than a missing one.

const PRODUCTION = ["production", "prod", "prd", "live"];
const OTHER = ["staging", "stage", "stg", "dev", "development", "qa", "uat", "beta", "preprod", "sandbox", "demo"];
const TRANSIENT = ["preview", "review", "ephemeral"];
/** A stage that only waits for someone ("ApproveProduction") deploys nothing itself. */
const NOT_DEPLOYING = ["approve", "approval", "approvals", "gate", "manual", "test", "tests"];
const PR = /(^|[^a-z])pr[-_]?\d*($|[^a-z])/;

/** The words of a name: split at separators and at lower-to-upper case changes ("DeployToProd" → deploy, to, prod). */
function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
}

export function defaultEnvironment(stageName: string): EnvironmentTarget | null {
  const said = words(stageName);
  const has = (list: readonly string[]) => said.some((w) => list.includes(w));
  if (has(NOT_DEPLOYING)) return null;
  const transient = has(TRANSIENT) || PR.test(stageName.toLowerCase());
  if (has(PRODUCTION) && !transient) return { environment: stageName, production: true, transient: false };
  if (has(OTHER) || transient) return { environment: stageName, production: false, transient };
  return null;
}
