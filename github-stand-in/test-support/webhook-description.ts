// Webhook payloads checked against GitHub's own schemas: the `x-webhooks` section of the same OpenAPI description
// (@octokit/openapi's api.github.com.json) that REST responses are checked against.
import type { Schema } from "./json-schema";
import { validate } from "./json-schema";
import { loadDescription } from "./github-description";

interface WebhookDescription {
  "x-webhooks"?: Record<string, { post?: { requestBody?: { content?: Record<string, { schema?: Schema }> } } }>;
  components: Record<string, Record<string, Schema>>;
}

/** The webhook kinds the stand-in sends, by their x-webhooks names. */
export const WEBHOOK_KINDS = [
  "push",
  "check-run-created",
  "check-run-completed",
  "check-run-requested-action",
  "check-run-rerequested",
  "check-suite-requested",
  "check-suite-completed",
  "status",
] as const;
export type WebhookKind = (typeof WEBHOOK_KINDS)[number];

/** The x-webhooks name of a delivery: its X-GitHub-Event and the payload's action. */
export function webhookKind(event: string, action: string | null | undefined): string {
  const name = event.replace(/_/g, "-");
  return action ? `${name}-${action.replace(/_/g, "-")}` : name;
}

/** Every violation of the payload against GitHub's schema for that webhook; empty when it conforms. */
export function checkWebhookPayload(kind: string, payload: unknown): string[] {
  const description = loadDescription() as unknown as WebhookDescription;
  const schema = description["x-webhooks"]?.[kind]?.post?.requestBody?.content?.["application/json"]?.schema;
  if (!schema) return [`no webhook ${kind} in GitHub's description`];
  const resolve = (ref: string): Schema => {
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
    const target = section && name ? description.components[section]?.[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };
  return validate(schema, payload, resolve);
}

interface Operations {
  paths: Record<string, Record<string, { responses?: Record<string, Schema> }>>;
}

/** The delivery-log operations, which the App's REST checks do not cover: each response against its description. */
export function checkDeliveryResponse(operation: string, status: number, body: unknown): string[] {
  const description = loadDescription() as unknown as Operations & WebhookDescription;
  const [method = "", template = ""] = operation.split(" ");
  const resolve = (ref: string): Schema => {
    const [, section, name] = /^#\/components\/([^/]+)\/(.+)$/.exec(ref) ?? [];
    const target = section && name ? description.components[section]?.[name] : undefined;
    if (!target) throw new Error(`unresolvable $ref ${ref}`);
    return target;
  };
  let response = description.paths[template]?.[method]?.responses?.[String(status)];
  // An unknown delivery answers GitHub's 404, which the description leaves out.
  if (!response && status === 404) return validate({ $ref: "#/components/schemas/basic-error" }, body, resolve);
  if (!response) return [`status ${status} is not a documented response of ${operation}`];
  if (typeof response.$ref === "string") response = resolve(response.$ref);
  const schema = (response.content as Record<string, { schema?: Schema }> | undefined)?.["application/json"]?.schema;
  return schema ? validate(schema, body, resolve) : [];
}
