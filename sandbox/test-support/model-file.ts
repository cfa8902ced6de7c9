// AWS's CodePipeline model, the yardstick tests hold the sandbox to. It comes from one of two places:
//
// - The package model, in every clone: the final model of the `aws-sdk` v2 package
//   (apis/codepipeline-2015-07-09.min.json), plus the members AWS added after it froze
//   (./package-model-additions.ts). It gives members, JSON types and required members; it has no
//   enums, lengths, ranges, patterns or error lists, and anonymous shape names.
// - botocore's full model (service-2.json, or service-2.json.gz as botocore installs it), which
//   `npm run test:model -- <path>` hands to its suites in STAGEBOARD_CODEPIPELINE_MODEL.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { gunzipSync } from "node:zlib";
import * as sdk from "@aws-sdk/client-codepipeline";
import { MEMBERS_ADDED_SINCE_PACKAGE_MODEL, type PackageShape } from "./package-model-additions";

export interface ModelRef {
  readonly shape: string;
}

export interface ModelShape {
  readonly type: string;
  readonly members?: Readonly<Record<string, ModelRef>>;
  readonly required?: readonly string[];
  readonly member?: ModelRef;
  readonly key?: ModelRef;
  readonly value?: ModelRef;
  readonly min?: number;
  readonly max?: number;
  readonly pattern?: string;
  readonly enum?: readonly string[];
}

export interface ModelOperation {
  readonly input?: ModelRef;
  readonly output?: ModelRef;
  readonly errors?: readonly ModelRef[];
}

export interface ServiceModel {
  /** The file it was read from. */
  readonly source: string;
  /** True for botocore's model, which lists each operation's errors and every enum, length, range and pattern. */
  readonly full: boolean;
  readonly operations: Readonly<Record<string, ModelOperation>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

/** How `scripts/test-model.mjs` tells the full-model suites where botocore's model is. */
export const FULL_MODEL_ENV = "STAGEBOARD_CODEPIPELINE_MODEL";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export function shapeOf(model: ServiceModel, name: string): ModelShape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`Model has no shape ${name}`);
  return shape;
}

// ---- botocore's full model ----

let full: ServiceModel | undefined;

/** botocore's model from the path in STAGEBOARD_CODEPIPELINE_MODEL; throws (never skips) when it is missing. */
export function loadFullModel(): ServiceModel {
  if (full) return full;
  const file = process.env[FULL_MODEL_ENV];
  if (!file) {
    throw new Error(
      `${FULL_MODEL_ENV} is not set: run the full-model suites with npm run test:model [-- <botocore codepipeline service-2.json>]`,
    );
  }
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw new Error(`cannot read botocore's CodePipeline model at ${file}: ${(error as Error).message}`);
  }
  // botocore installs its models gzipped (service-2.json.gz).
  const text = (bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString("utf8");
  const raw: unknown = JSON.parse(text);
  const metadata = isObject(raw) ? raw.metadata : undefined;
  const shapes = isObject(raw) ? raw.shapes : undefined;
  const operations = isObject(raw) ? raw.operations : undefined;
  if (!isObject(metadata) || metadata.serviceId !== "CodePipeline" || !isObject(shapes) || !isObject(operations)) {
    throw new Error(`${file} is not botocore's CodePipeline service model`);
  }
  const named = Object.values(operations).every(
    (op) => isObject(op) && (op.input === undefined || (isObject(op.input) && typeof op.input.shape === "string")),
  );
  if (!named || !Object.values(shapes).some((s) => isObject(s) && typeof s.pattern === "string")) {
    throw new Error(`${file} has no named shapes or patterns: pass botocore's service-2.json, not a minified model`);
  }
  full = { source: file, full: true, operations, shapes } as ServiceModel;
  return full;
}

// ---- the package model ----

interface PackageModelFile {
  readonly metadata: { readonly serviceId?: string };
  readonly operations: Readonly<Record<string, { readonly input?: PackageShape; readonly output?: PackageShape }>>;
  readonly shapes: Readonly<Record<string, PackageShape>>;
}

export const PACKAGE_MODEL_ID = "aws-sdk/apis/codepipeline-2015-07-09.min.json";

const SCALARS = new Set(["string", "integer", "long", "float", "double", "boolean", "timestamp", "blob"]);

// The v2 model names only shared shapes, and those as "S5j". Structure and list names are taken from
// the v3 SDK's schema objects at the same place in the tree (the same names as botocore's), so messages
// read alike with either model; where the SDK has no named shape, the name is the path from the
// operation ("ActionDeclaration.commands"); scalars are named by their type.
function sdkSchema(ref: unknown): unknown {
  const schema = typeof ref === "function" ? (ref as () => unknown)() : ref;
  // A member with traits is written as [schemaRef, traits].
  return Array.isArray(schema) && schema.length === 2 ? sdkSchema(schema[0]) : schema;
}

const SDK_LIST = 1;
const SDK_MAP = 2;
const SDK_STRUCTURE = 3;
const SDK_OPERATION = 9;

function sdkKind(schema: unknown, kind: number): unknown[] | undefined {
  return Array.isArray(schema) && schema[0] === kind ? schema : undefined;
}

function sdkName(schema: unknown): string | undefined {
  const named = sdkKind(schema, SDK_STRUCTURE) ?? sdkKind(schema, SDK_LIST) ?? sdkKind(schema, SDK_MAP);
  return typeof named?.[2] === "string" ? named[2] : undefined;
}

function sdkMember(schema: unknown, member: string): unknown {
  const structure = sdkKind(schema, SDK_STRUCTURE);
  const names = structure?.[4];
  const refs = structure?.[5];
  if (!Array.isArray(names) || !Array.isArray(refs)) return undefined;
  const index = names.indexOf(member);
  return index < 0 ? undefined : sdkSchema(refs[index]);
}

function convertPackageModel(file: string, raw: PackageModelFile): ServiceModel {
  const shapes: Record<string, ModelShape> = {};
  const sharedNames = new Map<string, string>();
  const unused = new Set(
    Object.entries(MEMBERS_ADDED_SINCE_PACKAGE_MODEL).flatMap(([s, members]) =>
      Object.keys(members).map((m) => `${s}.${m}`),
    ),
  );

  function claim(preferred: string): string {
    let name = preferred;
    for (let n = 2; shapes[name] !== undefined || [...sharedNames.values()].includes(name); n++)
      name = `${preferred}#${n}`;
    return name;
  }

  function ref(node: PackageShape, sdkRef: unknown, path: string): ModelRef {
    const schema = sdkSchema(sdkRef);
    if (node.shape !== undefined) {
      const known = sharedNames.get(node.shape);
      if (known) return { shape: known };
      const target = raw.shapes[node.shape];
      if (!target) throw new Error(`${file}: ${path} refers to missing shape ${node.shape}`);
      if (SCALARS.has(target.type ?? "string")) return ref(target, schema, path);
      const name = claim(sdkName(schema) ?? path);
      sharedNames.set(node.shape, name); // before converting, so a recursive shape ends
      shapes[name] = convert(target, schema, name);
      return { shape: name };
    }
    const type = node.type ?? "string";
    if (SCALARS.has(type)) {
      shapes[type] ??= { type };
      return { shape: type };
    }
    const name = claim(sdkName(schema) ?? path);
    shapes[name] = { type }; // reserved while its members convert
    shapes[name] = convert(node, schema, name);
    return { shape: name };
  }

  function convert(node: PackageShape, schema: unknown, name: string): ModelShape {
    const type = node.type ?? "string";
    if (type === "list") {
      if (!node.member) throw new Error(`${file}: list ${name} has no member`);
      return { type, member: ref(node.member, sdkKind(schema, SDK_LIST)?.[4], `${name}[]`) };
    }
    if (type === "map") {
      if (!node.key || !node.value) throw new Error(`${file}: map ${name} lacks a key or value`);
      const map = sdkKind(schema, SDK_MAP);
      return { type, key: ref(node.key, map?.[4], `${name}{key}`), value: ref(node.value, map?.[5], `${name}{value}`) };
    }
    if (type !== "structure") throw new Error(`${file}: ${name} has unexpected type ${type}`);
    const added = MEMBERS_ADDED_SINCE_PACKAGE_MODEL[name] ?? {};
    const members: Record<string, ModelRef> = {};
    for (const [member, child] of Object.entries({ ...node.members, ...added })) {
      if (member in added) {
        if (node.members?.[member]) throw new Error(`${name}.${member} is in ${file} now: drop it from the additions`);
        unused.delete(`${name}.${member}`);
      }
      members[member] = ref(child, sdkMember(schema, member), `${name}.${member}`);
    }
    return { type, members, ...(node.required ? { required: node.required } : {}) };
  }

  const operations: Record<string, ModelOperation> = {};
  for (const [operation, { input, output }] of Object.entries(raw.operations)) {
    const op = sdkKind(Reflect.get(sdk, `${operation}$`), SDK_OPERATION);
    operations[operation] = {
      ...(input ? { input: ref(input, op?.[4], `${operation}Input`) } : {}),
      ...(output ? { output: ref(output, op?.[5], `${operation}Output`) } : {}),
    };
  }
  if (unused.size > 0) throw new Error(`Additions to ${file} never applied: ${[...unused].join(", ")}`);
  return { source: file, full: false, operations, shapes };
}

let packaged: ServiceModel | undefined;

/** The aws-sdk v2 package's CodePipeline model with the later members added: in every clone. */
export function loadPackageModel(): ServiceModel {
  if (packaged) return packaged;
  const file = createRequire(import.meta.url).resolve(PACKAGE_MODEL_ID);
  const raw = JSON.parse(readFileSync(file, "utf8")) as PackageModelFile;
  if (raw.metadata?.serviceId !== "CodePipeline" || !isObject(raw.operations) || !isObject(raw.shapes)) {
    throw new Error(`${file} is not the aws-sdk package's CodePipeline model`);
  }
  packaged = convertPackageModel(file, raw);
  return packaged;
}
