// Reads a check run's create or update body the way GitHub does, in two layers: its JSON schema first (failures
// answer 422 "Invalid request." with the schema validator's sentence, e.g. "Only 65535 characters are allowed; 68372
// were supplied."), then the model (422 "Validation Failed" with errors[], e.g. a summary over 65535 bytes).
import { isJsonObject } from "../http/body";
import { isoTime } from "../shapes/urls";
import type { CheckAction, CheckAnnotation, CheckConclusion } from "../world/records";
import { CHECK_CONCLUSIONS, isOneOf } from "../world/records";
import type { FieldError } from "./context";

const SETTABLE_STATUSES = ["queued", "in_progress", "completed"] as const;
const ANNOTATION_LEVELS = ["notice", "warning", "failure"] as const;
const MAX_MARKDOWN = 65535;
const MAX_ANNOTATIONS = 50;
const MAX_ACTIONS = 3;
const ACTION_LIMITS = { label: 20, description: 40, identifier: 20 } as const;

export interface CheckRunOutputInput {
  title: string | undefined;
  summary: string;
  text: string | undefined;
  annotations: CheckAnnotation[];
}

/** The fields a request set; absent ones stay as they were (update) or take GitHub's defaults (create). */
export interface CheckRunInput {
  name?: string;
  headSha?: string;
  status?: (typeof SETTABLE_STATUSES)[number];
  conclusion?: CheckConclusion;
  detailsUrl?: string;
  externalId?: string;
  startedAt?: string;
  completedAt?: string;
  output?: CheckRunOutputInput;
  actions?: CheckAction[];
}

export type ParsedCheckRun =
  | { kind: "ok"; input: CheckRunInput }
  | { kind: "invalid"; message: string }
  | { kind: "failed"; errors: FieldError[] };

class SchemaError extends Error {}

/** Ruby's inspect, which GitHub's schema messages use for the offending value. */
function inspect(value: unknown): string {
  return value === null ? "nil" : (JSON.stringify(value) ?? "nil");
}

/** Sorted, as GitHub lists them: `"annotation_level", "path" weren't supplied.` */
function missing(names: string[]): SchemaError {
  const quoted = [...names]
    .sort()
    .map((n) => `"${n}"`)
    .join(", ");
  return new SchemaError(`${quoted} ${names.length === 1 ? "wasn't" : "weren't"} supplied.`);
}

function string(pointer: string, value: unknown, maxLength?: number): string {
  if (typeof value !== "string") throw new SchemaError(`For '${pointer}', ${inspect(value)} is not a string.`);
  if (maxLength !== undefined && value.length > maxLength)
    throw new SchemaError(`Only ${maxLength} characters are allowed; ${value.length} were supplied.`);
  return value;
}

function integer(pointer: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isInteger(value))
    throw new SchemaError(`For '${pointer}', ${inspect(value)} is not an integer.`);
  return value;
}

function member<T extends string>(pointer: string, values: readonly T[], value: unknown): T {
  if (!isOneOf(values, value)) {
    const list = `[${values.map((v) => `"${v}"`).join(", ")}]`;
    throw new SchemaError(`For '${pointer}', ${inspect(value)} is not a member of ${list}.`);
  }
  return value;
}

function object(pointer: string, value: unknown, required: string[]): Record<string, unknown> {
  if (!isJsonObject(value)) throw new SchemaError(`For '${pointer}', ${inspect(value)} is not an object.`);
  const absent = required.filter((name) => value[name] === undefined);
  if (absent.length > 0) throw missing(absent);
  return value;
}

function list(pointer: string, value: unknown, maxItems?: number): unknown[] {
  if (!Array.isArray(value)) throw new SchemaError(`For '${pointer}', ${inspect(value)} is not an array.`);
  if (maxItems !== undefined && value.length > maxItems)
    throw new SchemaError(`No more than ${maxItems} items are allowed; ${value.length} were supplied.`);
  return value;
}

/** ISO 8601 as GitHub asks (YYYY-MM-DDTHH:MM:SSZ); stored in that form. */
function dateTime(pointer: string, value: unknown): string {
  const text = string(pointer, value);
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/.test(text) ? Date.parse(text) : NaN;
  if (Number.isNaN(ms)) throw new SchemaError(`For '${pointer}', ${inspect(value)} is not a valid date-time.`);
  return isoTime(ms);
}

function annotation(value: unknown, index: number): CheckAnnotation {
  const at = `properties/output/properties/annotations/items/${index}`;
  const item = object(at, value, ["path", "start_line", "end_line", "annotation_level", "message"]);
  const optional = (name: string) => (item[name] === undefined ? null : string(`${at}/${name}`, item[name]));
  const column = (name: string) => (item[name] === undefined ? null : integer(`${at}/${name}`, item[name]));
  return {
    path: string(`${at}/path`, item.path),
    startLine: integer(`${at}/start_line`, item.start_line),
    endLine: integer(`${at}/end_line`, item.end_line),
    startColumn: column("start_column"),
    endColumn: column("end_column"),
    level: member(`${at}/annotation_level`, ANNOTATION_LEVELS, item.annotation_level),
    message: string(`${at}/message`, item.message),
    title: optional("title"),
    rawDetails: optional("raw_details"),
  };
}

function output(value: unknown, mode: "create" | "update"): CheckRunOutputInput {
  const at = "properties/output";
  const body = object(at, value, mode === "create" ? ["title", "summary"] : ["summary"]);
  if (body.images !== undefined) {
    list(`${at}/images`, body.images).forEach((image, i) => {
      const item = object(`${at}/images/${i}`, image, ["alt", "image_url"]);
      string(`${at}/images/${i}/alt`, item.alt);
      string(`${at}/images/${i}/image_url`, item.image_url);
    });
  }
  return {
    title: body.title === undefined ? undefined : string(`${at}/title`, body.title),
    summary: string(`${at}/summary`, body.summary, MAX_MARKDOWN),
    text: body.text === undefined ? undefined : string(`${at}/text`, body.text, MAX_MARKDOWN),
    annotations:
      body.annotations === undefined
        ? []
        : list(`${at}/annotations`, body.annotations, MAX_ANNOTATIONS).map((a, i) => annotation(a, i)),
  };
}

function action(value: unknown, index: number): CheckAction {
  const at = `properties/actions/items/${index}`;
  const item = object(at, value, ["label", "description", "identifier"]);
  return {
    label: string(`${at}/label`, item.label, ACTION_LIMITS.label),
    description: string(`${at}/description`, item.description, ACTION_LIMITS.description),
    identifier: string(`${at}/identifier`, item.identifier, ACTION_LIMITS.identifier),
  };
}

function schemaLayer(body: Record<string, unknown>, mode: "create" | "update"): CheckRunInput {
  const absent = mode === "create" ? ["head_sha", "name"].filter((n) => body[n] === undefined) : [];
  if (absent.length > 0) throw missing(absent);
  const input: CheckRunInput = {};
  if (body.name !== undefined) input.name = string("properties/name", body.name);
  if (body.head_sha !== undefined) input.headSha = string("properties/head_sha", body.head_sha);
  if (body.details_url !== undefined) input.detailsUrl = string("properties/details_url", body.details_url);
  if (body.external_id !== undefined) input.externalId = string("properties/external_id", body.external_id);
  if (body.status !== undefined) input.status = member("properties/status", SETTABLE_STATUSES, body.status);
  if (body.conclusion !== undefined)
    input.conclusion = member("properties/conclusion", CHECK_CONCLUSIONS, body.conclusion);
  if (body.started_at !== undefined) input.startedAt = dateTime("properties/started_at", body.started_at);
  if (body.completed_at !== undefined) input.completedAt = dateTime("properties/completed_at", body.completed_at);
  if (body.output !== undefined) input.output = output(body.output, mode);
  if (body.actions !== undefined) input.actions = list("properties/actions", body.actions, MAX_ACTIONS).map(action);
  // The schema's anyOf: a completed run needs its conclusion ("Required if you provide completed_at or a status of
  // completed").
  if ((input.status === "completed" || input.completedAt !== undefined) && input.conclusion === undefined)
    throw missing(["conclusion"]);
  return input;
}

/** The model's own limits, which count bytes where the schema counted characters. */
function modelLayer(input: CheckRunInput): FieldError[] {
  const errors: FieldError[] = [];
  if (input.name !== undefined && input.name.trim() === "")
    errors.push({ resource: "CheckRun", field: "name", code: "missing_field" });
  for (const field of ["summary", "text"] as const) {
    const value = input.output?.[field];
    if (value !== undefined && Buffer.byteLength(value) > MAX_MARKDOWN)
      errors.push({
        resource: "CheckRun",
        field,
        code: "custom",
        message: `${field} exceeds a maximum bytesize of ${MAX_MARKDOWN}`,
      });
  }
  return errors;
}

export function parseCheckRunBody(body: Record<string, unknown>, mode: "create" | "update"): ParsedCheckRun {
  let input: CheckRunInput;
  try {
    input = schemaLayer(body, mode);
  } catch (error) {
    if (error instanceof SchemaError) return { kind: "invalid", message: `Invalid request.\n\n${error.message}` };
    throw error;
  }
  const errors = modelLayer(input);
  return errors.length > 0 ? { kind: "failed", errors } : { kind: "ok", input };
}
