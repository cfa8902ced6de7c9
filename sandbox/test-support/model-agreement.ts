// Compares the sandbox's input validation (SDK shape tree + our rule table) with AWS's model:
// same structures and members, same required members, same enums, lengths, ranges and patterns.
import type { Rule } from "../validation/constraints";
import type { ShapeNode, StructureNode } from "../validation/sdk-schema";
import { shapeOf, type ModelShape, type ServiceModel } from "./model-file";

export type RuleLookup = (structure: string, member: string) => Rule | undefined;

export interface Agreement {
  /** Every difference found, as "<where>: <what>". Empty when the two agree. */
  readonly differences: string[];
  /** "<Structure>.<member>" keys the walk consulted, to spot stale table entries. */
  readonly consulted: Set<string>;
}

const show = (v: unknown): string => (v === undefined ? "none" : JSON.stringify(v));

export function compareInputs(
  model: ServiceModel,
  inputs: ReadonlyMap<string, StructureNode>,
  ruleFor: RuleLookup,
): Agreement {
  const differences: string[] = [];
  const consulted = new Set<string>();
  const visited = new Set<string>();
  const differ = (where: string, what: string): void => void differences.push(`${where}: ${what}`);

  function same(where: string, what: string, ours: unknown, theirs: unknown): void {
    if (ours !== theirs) differ(where, `${what} is ${show(ours)}, model says ${show(theirs)}`);
  }

  function scalar(shape: ModelShape, node: ShapeNode, rule: Rule | undefined, where: string): void {
    const numeric = shape.type === "integer" || shape.type === "long";
    const expectedKind = numeric ? "number" : shape.type;
    if (node.kind !== expectedKind) return differ(where, `SDK kind ${node.kind}, model type ${shape.type}`);
    same(where, "min", rule?.min, shape.min);
    same(where, "max", rule?.max, shape.max);
    same(where, "pattern", rule?.pattern, shape.pattern);
    same(where, "integer", rule?.int === true, numeric);
    const ours = rule?.enum ? [...rule.enum].sort().join("|") : undefined;
    const theirs = shape.enum ? [...shape.enum].sort().join("|") : undefined;
    same(where, "enum", ours, theirs);
    for (const extra of ["member", "key", "value"] as const) {
      if (rule?.[extra]) differ(where, `${extra} rule on a scalar`);
    }
  }

  function shapeAt(name: string, node: ShapeNode, rule: Rule | undefined, where: string): void {
    const shape = shapeOf(model, name);
    if (shape.type === "structure") {
      if (node.kind !== "structure") return differ(where, `SDK kind ${node.kind}, model structure ${name}`);
      if (rule) differ(where, "rule on a structure");
      return structure(name, node);
    }
    if (shape.type === "list") {
      if (node.kind !== "list") return differ(where, `SDK kind ${node.kind}, model list ${name}`);
      same(where, "list min", rule?.min, shape.min);
      same(where, "list max", rule?.max, shape.max);
      return shapeAt(shape.member?.shape ?? "", node.member, rule?.member, `${where}[]`);
    }
    if (shape.type === "map") {
      if (node.kind !== "map") return differ(where, `SDK kind ${node.kind}, model map ${name}`);
      same(where, "map min", rule?.min, shape.min);
      same(where, "map max", rule?.max, shape.max);
      shapeAt(shape.key?.shape ?? "", node.key, rule?.key, `${where}{key}`);
      return shapeAt(shape.value?.shape ?? "", node.value, rule?.value, `${where}{value}`);
    }
    scalar(shape, node, rule, where);
  }

  function structure(name: string, node: StructureNode): void {
    if (node.name !== name) differ(name, `SDK structure is named ${node.name}`);
    if (visited.has(name)) return;
    visited.add(name);
    const shape = shapeOf(model, name);
    const modelMembers = Object.keys(shape.members ?? {}).sort();
    same(
      name,
      "members",
      node.members
        .map((m) => m.name)
        .sort()
        .join(","),
      modelMembers.join(","),
    );
    const required = node.members
      .filter((m) => m.required)
      .map((m) => m.name)
      .sort();
    same(name, "required members", required.join(","), [...(shape.required ?? [])].sort().join(","));
    for (const member of node.members) {
      const ref = shape.members?.[member.name];
      if (!ref) continue;
      consulted.add(`${name}.${member.name}`);
      shapeAt(ref.shape, member.shape, ruleFor(name, member.name), `${name}.${member.name}`);
    }
  }

  for (const [operation, node] of inputs) {
    const input = model.operations[operation]?.input?.shape;
    if (!input) differ(operation, "model has no input shape");
    else structure(input, node);
  }
  return { differences, consulted };
}
