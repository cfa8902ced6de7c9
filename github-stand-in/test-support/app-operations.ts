import type { Schema } from "./json-schema";

const BASIC_ERROR: Schema = { $ref: "#/components/schemas/basic-error" };
// A JWT whose iss names no App answers 404 "Integration not found" on every App route, documented or not.
const UNKNOWN_APP_404: Record<string, Schema> = { "404": BASIC_ERROR };

/** The GitHub App operations the stand-in serves (APP-FACTS section 1). */
export const APP_OPERATIONS = [
  "get /app",
  "get /app/installations",
  "get /app/installations/{installation_id}",
  "post /app/installations/{installation_id}/access_tokens",
  "get /repos/{owner}/{repo}/installation",
  "get /orgs/{org}/installation",
  "get /users/{username}/installation",
  "get /installation/repositories",
  "get /user/installations",
  "get /user/installations/{installation_id}/repositories",
  "post /app-manifests/{code}/conversions",
];

/** Statuses the App operations send that the description leaves out, each with its reason. */
export const APP_OBSERVED: Record<string, Record<string, Schema>> = {
  "get /app": UNKNOWN_APP_404,
  "get /app/installations": UNKNOWN_APP_404,
  "get /orgs/{org}/installation": UNKNOWN_APP_404, // also: the App is not installed there
  "get /users/{username}/installation": UNKNOWN_APP_404, // also: the App is not installed there
  // The Bad-credentials 401 of an expired installation token, 404 for a caller that is not an installation.
  "get /installation/repositories": { "404": BASIC_ERROR },
};

interface Paths {
  paths: Record<string, Record<string, { responses?: Record<string, Schema> }>>;
}

/**
 * Where GitHub's description contradicts what GitHub sends for Apps: the inline item schema of GET
 * /app/installations makes `account` allOf simple-user *and* enterprise, which no account satisfies; the
 * `installation` component it copies says anyOf, as every other installation response does.
 */
export function fixAppGaps<T extends Paths>(description: T): T {
  const listed = description.paths["/app/installations"]?.get?.responses?.["200"];
  const content = listed?.content as Record<string, { schema?: Schema }> | undefined;
  const schema = content?.["application/json"]?.schema;
  if (schema?.type === "array") schema.items = { $ref: "#/components/schemas/installation" };
  return description;
}
