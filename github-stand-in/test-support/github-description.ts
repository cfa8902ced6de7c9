import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { APP_OBSERVED, APP_OPERATIONS, fixAppGaps } from "./app-operations";
import type { Schema } from "./json-schema";
import { validate } from "./json-schema";

interface Description {
  paths: Record<string, Record<string, { responses?: Record<string, Schema> }>>;
  components: Record<string, Record<string, Schema>>;
}

let cached: Description | null = null;

/**
 * Where GitHub's description contradicts what GitHub sends, each with its reason:
 * - a check run's `conclusion` can be `stale` (the request schema and the check-suite schema list it; GitHub sets it
 *   on runs left incomplete 14 days);
 * - a deployment status's `target_url` is `""` when none was given: the description's own default, which its
 *   `format: uri` would refuse.
 */
function fillGaps(description: Description): Description {
  const properties = (name: string) =>
    description.components.schemas?.[name]?.properties as Record<string, Schema> | undefined;
  const conclusion = properties("check-run")?.conclusion;
  if (Array.isArray(conclusion?.enum) && !conclusion.enum.includes("stale")) conclusion.enum.push("stale");
  const status = properties("deployment-status");
  if (status?.target_url?.default === "")
    status.target_url = {
      anyOf: [
        { type: "string", format: "uri" },
        { type: "string", enum: [""] },
      ],
    };
  return description;
}

/** GitHub's own OpenAPI description (api.github.com, default version 2022-11-28) from @octokit/openapi. */
export function loadDescription(): Description {
  if (!cached) {
    const file = createRequire(import.meta.url).resolve("@octokit/openapi/generated/api.github.com.json");
    cached = fixAppGaps(fillGaps(JSON.parse(readFileSync(file, "utf8")) as Description));
  }
  return cached;
}

const BASIC_ERROR: Schema = { $ref: "#/components/schemas/basic-error" };
const VALIDATION_ERROR: Schema = { $ref: "#/components/schemas/validation-error" };

/**
 * Statuses GitHub sends that the description leaves out, each with the reason it is allowed:
 * FACTS section 2.0 rules that hold for every endpoint, and per-operation observations.
 */
const EVERY_OPERATION: Record<string, Schema> = {
  "400": BASIC_ERROR, // "Problems parsing JSON", unsupported API version
  "401": BASIC_ERROR, // "Bad credentials"
  "403": BASIC_ERROR, // primary rate limit exceeded
  "429": BASIC_ERROR, // rate limit, the alternative status
  "503": BASIC_ERROR, // outage
};
const PRIVATE_RESOURCE_404: Record<string, Schema> = { "404": BASIC_ERROR }; // private resources answer 404, not 403
const OBSERVED: Record<string, Record<string, Schema>> = {
  "post /repos/{owner}/{repo}/statuses/{sha}": { ...PRIVATE_RESOURCE_404, "422": VALIDATION_ERROR },
  "post /repos/{owner}/{repo}/deployments": PRIVATE_RESOURCE_404,
  "post /repos/{owner}/{repo}/deployments/{deployment_id}/statuses": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/commits/{ref}/check-runs": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/commits/{ref}/check-suites": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/commits/{ref}/statuses": PRIVATE_RESOURCE_404,
  // Check runs: GitHub's 422 carries "Invalid request." (its schema) or "Validation Failed" (its model).
  "post /repos/{owner}/{repo}/check-runs": { ...PRIVATE_RESOURCE_404, "422": VALIDATION_ERROR },
  "patch /repos/{owner}/{repo}/check-runs/{check_run_id}": { ...PRIVATE_RESOURCE_404, "422": VALIDATION_ERROR },
  "get /repos/{owner}/{repo}/check-runs/{check_run_id}": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/check-suites/{check_suite_id}": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/deployments": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/environments": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/environments/{environment_name}": PRIVATE_RESOURCE_404,
  "put /repos/{owner}/{repo}/environments/{environment_name}": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/rules/branches/{branch}": PRIVATE_RESOURCE_404,
  "get /repos/{owner}/{repo}/collaborators/{username}/permission": { "403": BASIC_ERROR }, // "Must have push access…"
  ...APP_OBSERVED,
};

function resolver(description: Description) {
  return (ref: string): Schema => {
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
    const target = section && name ? description.components[section]?.[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };
}

/** The operations Stageboard calls (FACTS section 2); responses to anything else are not GitHub-shaped by contract. */
export const STAGEBOARD_OPERATIONS = [
  "get /user",
  "get /user/emails",
  "get /user/repos",
  "get /users/{username}",
  "get /repos/{owner}/{repo}",
  "get /repositories/{repository_id}",
  "get /repos/{owner}/{repo}/collaborators/{username}/permission",
  "get /user/orgs",
  "get /orgs/{org}/teams/{team_slug}/memberships/{username}",
  "post /repos/{owner}/{repo}/statuses/{sha}",
  "get /repos/{owner}/{repo}/commits/{ref}/status",
  "get /repos/{owner}/{repo}/commits/{ref}/check-runs",
  "get /repos/{owner}/{repo}/commits/{ref}/check-suites",
  "get /repos/{owner}/{repo}/commits/{ref}/statuses",
  // After the four above: findOperation takes the first template that matches, and {ref} spans slashes.
  "get /repos/{owner}/{repo}/commits/{ref}",
  "get /repos/{owner}/{repo}/compare/{basehead}",
  "post /repos/{owner}/{repo}/deployments",
  "post /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
  // GitHub write-back: check runs and suites, statuses and deployments read back, environments.
  "post /repos/{owner}/{repo}/check-runs",
  "get /repos/{owner}/{repo}/check-runs/{check_run_id}",
  "patch /repos/{owner}/{repo}/check-runs/{check_run_id}",
  "get /repos/{owner}/{repo}/check-suites/{check_suite_id}",
  "get /repos/{owner}/{repo}/deployments",
  "get /repos/{owner}/{repo}/deployments/{deployment_id}",
  "get /repos/{owner}/{repo}/deployments/{deployment_id}/statuses",
  "get /repos/{owner}/{repo}/deployments/{deployment_id}/statuses/{status_id}",
  "get /repos/{owner}/{repo}/environments",
  "get /repos/{owner}/{repo}/environments/{environment_name}",
  "put /repos/{owner}/{repo}/environments/{environment_name}",
  // Release gates: a branch's required checks.
  "get /repos/{owner}/{repo}/rules/branches/{branch}",
  "get /repos/{owner}/{repo}/branches/{branch}/protection/required_status_checks",
  ...APP_OPERATIONS,
];

/**
 * Operations GitHub serves but leaves out of its description, each checked against the documented operation it
 * mirrors: /repositories/{id} is where the 301 of a renamed or transferred repository points, and answers exactly
 * as GET /repos/{owner}/{repo} does.
 */
const UNDOCUMENTED_AS: Record<string, string> = {
  "get /repositories/{repository_id}": "/repos/{owner}/{repo}",
};

/** Finds which of those operations a concrete path belongs to ({ref} may contain slashes). */
export function findOperation(method: string, path: string): string | null {
  const description = loadDescription();
  for (const operation of STAGEBOARD_OPERATIONS) {
    const [verb = "", template = ""] = operation.split(" ");
    const documented = UNDOCUMENTED_AS[operation] ?? template;
    if (verb !== method.toLowerCase() || !description.paths[documented]?.[verb]) continue;
    const pattern = template
      .replace(/[.*+?^$()|[\]\\]/g, "\\$&")
      .replace(/\{(\w+)\}/g, (_m, n: string) => (n === "ref" ? "(.+)" : "([^/]+)"));
    if (new RegExp(`^${pattern}$`).test(path)) return documented;
  }
  return null;
}

export interface ResponseCheck {
  operation: string;
  errors: string[];
}

/** Checks status, content type and body of one response against the operation's declared responses. */
export function checkResponse(
  method: string,
  path: string,
  status: number,
  contentType: string | null,
  body: unknown,
): ResponseCheck {
  const description = loadDescription();
  const template = findOperation(method, path);
  if (!template)
    return { operation: `${method} ${path}`, errors: [`no operation in GitHub's description for ${method} ${path}`] };
  const operation = `${method.toLowerCase()} ${template}`;
  const resolve = resolver(description);
  const declared = description.paths[template]?.[method.toLowerCase()]?.responses ?? {};
  let response: Schema | undefined = declared[String(status)];
  if (response && typeof response.$ref === "string") response = resolve(response.$ref);
  const fallback = OBSERVED[operation]?.[String(status)] ?? EVERY_OPERATION[String(status)];
  const schema = response
    ? ((response.content as Record<string, { schema?: Schema }> | undefined)?.["application/json"]?.schema ?? null)
    : fallback;
  if (schema === undefined)
    return { operation, errors: [`status ${status} is not a documented response of ${operation}`] };
  if (schema === null) return { operation, errors: [] }; // declared without a body (e.g. 404 on team membership)
  const errors: string[] = [];
  if (!contentType?.startsWith("application/json"))
    errors.push(`content-type is ${contentType ?? "missing"}, not application/json`);
  errors.push(...validate(schema, body, resolve));
  return { operation, errors };
}
