// Records every way the sandbox's responses depart from AWS's CodePipeline model. Tests pass
// `onResponse: validator.check` to startSandbox and assert `validator.errors()` is empty.
// With the package model (the default, in every clone) it checks members, JSON types, timestamps,
// required members, and that an error is one CodePipeline or every AWS service defines; with
// botocore's model (npm run test:model) also enums, lengths, ranges, patterns and which errors
// each operation may return.
import * as sdk from "@aws-sdk/client-codepipeline";
import { loadPackageModel, type ServiceModel } from "./model-file";
import { checkShape } from "./model-shape-check";

/** Errors every AWS JSON service may return although CodePipeline's model does not list them. */
const COMMON_ERRORS: Readonly<Record<string, "client" | "server">> = {
  ThrottlingException: "client",
  ValidationException: "client",
  UnknownOperationException: "client",
  SerializationException: "client",
  AccessDeniedException: "client",
  UnrecognizedClientException: "client",
  IncompleteSignature: "client",
  MissingAuthenticationTokenException: "client",
  RequestExpired: "client",
  ExpiredTokenException: "client",
  InternalFailure: "server",
  InternalServerError: "server",
  ServiceUnavailable: "server",
};

const ERROR_SCHEMA = -3;

/** Traits of one of CodePipeline's errors in the SDK's schema, e.g. [-3, ns, name, { error, httpError }, ...]. */
function errorTraits(code: string): object | undefined {
  const schema: unknown = Reflect.get(sdk, `${code}$`);
  const traits: unknown = Array.isArray(schema) && schema[0] === ERROR_SCHEMA ? schema[3] : undefined;
  return typeof traits === "object" && traits !== null ? traits : undefined;
}

/**
 * HTTP status of a modelled error. botocore's model omits Smithy's @httpError (ConflictException is
 * 409), so it is read from the SDK's error schema.
 */
function modelledStatus(code: string): number {
  const traits = errorTraits(code);
  const status: unknown = traits ? Reflect.get(traits, "httpError") : undefined;
  return typeof status === "number" ? status : 400;
}

/** How clients read the error code: text before ':' then after '#'. */
function errorCode(raw: string): string {
  const beforeColon = raw.split(":")[0] ?? "";
  return beforeColon.slice(beforeColon.lastIndexOf("#") + 1);
}

function typeCode(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const raw: unknown = Reflect.get(value, "__type");
  return typeof raw === "string" ? errorCode(raw) : undefined;
}

function parseBody(body: unknown): { value: unknown; problem?: string } {
  if (typeof body !== "string") return { value: body };
  if (body.trim() === "") return { value: undefined };
  try {
    return { value: JSON.parse(body) };
  } catch {
    return { value: undefined, problem: `body is not JSON: ${body.slice(0, 80)}` };
  }
}

export interface ModelValidator {
  // Function-typed members, so `onResponse: validator.check` may pass them around unbound.
  check: (operation: string, status: number, body: unknown) => void;
  errors: () => string[];
  /** How many responses were checked, so a test can tell the hook was wired. */
  responses: () => number;
}

export function createModelValidator(model: ServiceModel = loadPackageModel()): ModelValidator {
  const found: string[] = [];
  let responses = 0;

  function checkSuccess(operation: string, value: unknown, record: (p: string) => void): void {
    const output = model.operations[operation]?.output?.shape;
    if (!output) {
      const empty =
        value === undefined || (typeof value === "object" && value !== null && Object.keys(value).length === 0);
      if (!empty) record("operation has no output but the body is not empty");
      return;
    }
    const problems: string[] = [];
    checkShape(model, output, value ?? {}, "", problems);
    problems.forEach(record);
  }

  function checkError(operation: string, status: number, value: unknown, record: (p: string) => void): void {
    if (typeof value !== "object" || value === null || Array.isArray(value))
      return record("error body is not an object");
    const code = typeCode(value);
    if (code === undefined) return record("error body has no string __type");
    // The package model lists no errors; the SDK's error schemas tell which ones CodePipeline has.
    const modelled = model.full
      ? (model.operations[operation]?.errors ?? []).some((e) => e.shape === code)
      : errorTraits(code) !== undefined;
    const common = COMMON_ERRORS[code];
    const of = model.full ? operation : "CodePipeline";
    if (!modelled && !common) record(`__type ${code} is neither an error of ${of} nor a common AWS error`);
    const expected = modelled ? modelledStatus(code) : undefined;
    if (expected !== undefined && status !== expected)
      record(`${code} sent with HTTP ${status}, model says ${expected}`);
    if (common === "server" && status < 500) record(`${code} sent with HTTP ${status}, expected 5xx`);
    if (common === "client" && !modelled && (status < 400 || status >= 500)) record(`${code} sent with HTTP ${status}`);
    for (const [key, member] of Object.entries(value)) {
      if (key === "__type") continue;
      if (key !== "message" && key !== "Message") record(`unknown member ${key} in ${code}`);
      else if (typeof member !== "string") record(`${key} of ${code} is not a string`);
    }
  }

  return {
    check(operation, status, body) {
      responses++;
      const record = (p: string) => found.push(`${operation} ${status}: ${p}`);
      const parsed = parseBody(body);
      if (parsed.problem) return record(parsed.problem);
      if (!model.operations[operation]) {
        if (status >= 400 && typeCode(parsed.value) === "UnknownOperationException") return;
        return record("not an operation of the CodePipeline model");
      }
      if (status >= 200 && status < 300) {
        if (status !== 200) record("successful responses use HTTP 200");
        return checkSuccess(operation, parsed.value, record);
      }
      checkError(operation, status, parsed.value, record);
    },
    errors: () => [...found],
    responses: () => responses,
  };
}
