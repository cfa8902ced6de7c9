// Reads the shape tree of an operation's input from the runtime schema objects that
// @aws-sdk/client-codepipeline ships (`<Operation>$`, `<Shape>$`). Those objects carry structure
// members, required members, nesting and scalar kinds, but no lengths, patterns, ranges or enums:
// those come from ./constraints.
import * as sdk from "@aws-sdk/client-codepipeline";

export type ScalarKind = "string" | "number" | "boolean" | "timestamp" | "blob" | "document";

export type ShapeNode =
  | { readonly kind: ScalarKind }
  | { readonly kind: "list"; readonly member: ShapeNode }
  | { readonly kind: "map"; readonly key: ShapeNode; readonly value: ShapeNode }
  | StructureNode;

export interface StructureNode {
  readonly kind: "structure";
  readonly name: string;
  readonly members: readonly MemberNode[];
}

export interface MemberNode {
  readonly name: string;
  readonly required: boolean;
  readonly shape: ShapeNode;
}

// Schema type ids, see @smithy/core `schema/schemas/sentinels.js`.
const LIST_MODIFIER = 0b0100_0000;
const MAP_MODIFIER = 0b1000_0000;
const SIMPLE: Readonly<Record<number, ScalarKind>> = {
  0: "string",
  1: "number",
  2: "boolean",
  4: "timestamp",
  5: "timestamp",
  6: "timestamp",
  7: "timestamp",
  15: "document",
  17: "number",
  19: "number",
  21: "blob",
  42: "blob",
};
const ID_SIMPLE = 0;
const ID_LIST = 1;
const ID_MAP = 2;
const ID_STRUCTURE = 3;
const ID_OPERATION = 9;

function fail(what: string): never {
  throw new Error(`Unexpected @aws-sdk/client-codepipeline schema layout: ${what}`);
}

function simple(id: number): ShapeNode {
  if (id >= MAP_MODIFIER) return { kind: "map", key: { kind: "string" }, value: simple(id & ~MAP_MODIFIER) };
  if (id >= LIST_MODIFIER) return { kind: "list", member: simple(id & ~LIST_MODIFIER) };
  const kind = SIMPLE[id];
  if (!kind) fail(`unknown simple schema id ${id}`);
  return { kind };
}

function deref(ref: unknown): unknown {
  return typeof ref === "function" ? (ref as () => unknown)() : ref;
}

export class SchemaReader {
  // Keyed by the SDK's schema arrays so shared shapes are decoded once and cycles terminate.
  private readonly structures = new Map<unknown, StructureNode>();

  operationInput(operation: string): StructureNode {
    const op = Reflect.get(sdk, `${operation}$`) as unknown;
    if (!Array.isArray(op) || op[0] !== ID_OPERATION) fail(`no operation schema for ${operation}`);
    const input = this.read(op[4]);
    if (input.kind !== "structure") fail(`${operation} input is not a structure`);
    return input;
  }

  read(ref: unknown): ShapeNode {
    const schema = deref(ref);
    if (typeof schema === "number") return simple(schema);
    if (!Array.isArray(schema)) fail("schema is neither a number nor an array");
    const id: unknown = schema[0];
    // A member with traits is written as [schemaRef, traits].
    if (schema.length === 2) return this.read(id);
    switch (id) {
      case ID_SIMPLE:
        return this.read(schema[4]);
      case ID_LIST:
        return { kind: "list", member: this.read(schema[4]) };
      case ID_MAP:
        return { kind: "map", key: this.read(schema[4]), value: this.read(schema[5]) };
      case ID_STRUCTURE:
        return this.structure(schema);
      default:
        return fail(`unsupported schema id ${String(id)}`);
    }
  }

  private structure(schema: unknown[]): StructureNode {
    const cached = this.structures.get(schema);
    if (cached) return cached;
    const [, , name, , memberNames, memberRefs, requiredCount] = schema;
    if (typeof name !== "string" || !Array.isArray(memberNames) || !Array.isArray(memberRefs)) {
      fail("malformed structure schema");
    }
    const members: MemberNode[] = [];
    const node: StructureNode = { kind: "structure", name, members };
    this.structures.set(schema, node);
    // The SDK orders required members first and records how many there are.
    const required = typeof requiredCount === "number" ? requiredCount : 0;
    memberNames.forEach((memberName: unknown, index) => {
      if (typeof memberName !== "string") fail(`member name of ${name}`);
      members.push({ name: memberName, required: index < required, shape: this.read(memberRefs[index]) });
    });
    return node;
  }
}
