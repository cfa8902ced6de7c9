// Turns an input shape tree plus its rules into one checking function, so each request only walks
// closures with precompiled regexes and enum sets.
import { ruleFor, type Rule } from "./constraints";
import {
  describeRule,
  inEnum,
  lengthAtLeast,
  lengthAtMost,
  matchesPattern,
  notNull,
  ofType,
  valueAtLeast,
  valueAtMost,
  violation,
} from "./messages";
import type { ShapeNode, StructureNode } from "./sdk-schema";

export type Check = (value: unknown, path: string, errors: string[]) => void;

const INT_MAX = 2 ** 31 - 1;
const INT_MIN = -(2 ** 31);

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const join = (path: string, key: string): string => (path === "" ? key : `${path}.${key}`);

/** `type` names a wrong JSON type; `rules` lists the violated constraints of a well-typed value. */
interface ScalarTest {
  type(value: unknown): string | undefined;
  rules(value: unknown): string[] | undefined;
}

const accept = (): undefined => undefined;

function scalarTest(node: ShapeNode, rule: Rule | undefined, where: string): ScalarTest {
  const r = rule ?? {};
  if (node.kind === "string") {
    if (r.int) throw new Error(`${where}: integer rule on a string`);
    // Patterns in AWS's model match the whole value.
    const regex = r.pattern === undefined ? undefined : new RegExp(`^(?:${r.pattern})$`);
    const allowed = r.enum === undefined ? undefined : new Set(r.enum);
    return {
      type: (v) => (typeof v === "string" ? undefined : ofType("string")),
      rules: (value) => {
        const v = typeof value === "string" ? value : "";
        // No helper closures here: this runs for every string in every request.
        let found: string[] | undefined;
        if (allowed && !allowed.has(v)) (found ??= []).push(inEnum(r.enum ?? []));
        if (r.max !== undefined && v.length > r.max) (found ??= []).push(lengthAtMost(r.max));
        if (r.min !== undefined && v.length < r.min) (found ??= []).push(lengthAtLeast(r.min));
        if (regex && r.pattern !== undefined && !regex.test(v)) (found ??= []).push(matchesPattern(r.pattern));
        return found;
      },
    };
  }
  if (r.pattern !== undefined || r.enum !== undefined) throw new Error(`${where}: pattern/enum on a ${node.kind}`);
  if (node.kind === "number") {
    const name = r.int ? "integer" : "number";
    return {
      type: (v) => {
        if (typeof v !== "number" || !Number.isFinite(v)) return ofType(name);
        if (r.int && (!Number.isInteger(v) || v > INT_MAX || v < INT_MIN)) return ofType(name);
        return undefined;
      },
      rules: (value) => {
        const v = typeof value === "number" ? value : 0;
        if (r.max !== undefined && v > r.max) return [valueAtMost(r.max)];
        if (r.min !== undefined && v < r.min) return [valueAtLeast(r.min)];
        return undefined;
      },
    };
  }
  if (rule !== undefined) throw new Error(`${where}: constraints on a ${node.kind}`);
  if (node.kind === "boolean")
    return { type: (v) => (typeof v === "boolean" ? undefined : ofType("boolean")), rules: accept };
  if (node.kind === "timestamp")
    return { type: (v) => (typeof v === "number" ? undefined : ofType("timestamp")), rules: accept };
  // Blobs and documents do not occur in the validated inputs; accept them as sent.
  return { type: accept, rules: accept };
}

function isScalar(node: ShapeNode): boolean {
  return node.kind !== "structure" && node.kind !== "list" && node.kind !== "map";
}

function sizeCheck(rule: Rule | undefined): (size: number) => string | undefined {
  const min = rule?.min;
  const max = rule?.max;
  return (size) => {
    if (max !== undefined && size > max) return lengthAtMost(max);
    if (min !== undefined && size < min) return lengthAtLeast(min);
    return undefined;
  };
}

function listCheck(node: Extract<ShapeNode, { kind: "list" }>, rule: Rule | undefined, where: string): Check {
  const size = sizeCheck(rule);
  const scalar = isScalar(node.member);
  const elementRule = rule?.member;
  const test = scalar ? scalarTest(node.member, elementRule, `${where}[]`) : undefined;
  const element = scalar ? undefined : compileNode(node.member, elementRule, `${where}[]`);
  const described = elementRule ? describeRule(elementRule, node.member.kind === "number") : "";
  return (value, path, errors) => {
    if (!Array.isArray(value)) return void errors.push(violation(value, path, ofType("list")));
    const wrongSize = size(value.length);
    if (wrongSize) errors.push(violation(value, path, wrongSize));
    let elementFailed = false;
    value.forEach((item, index) => {
      const itemPath = `${path}.${index + 1}.member`;
      if (element) return element(item, itemPath, errors);
      if (!test) return;
      const wrongType = test.type(item);
      if (wrongType) errors.push(violation(item, itemPath, wrongType));
      else if (test.rules(item)) elementFailed = true;
    });
    // The service reports element constraints once, on the list, listing all of them.
    if (elementFailed) errors.push(violation(value, path, `Member must satisfy constraint: ${described}`));
  };
}

function mapCheck(node: Extract<ShapeNode, { kind: "map" }>, rule: Rule | undefined, where: string): Check {
  const size = sizeCheck(rule);
  const keyTest = scalarTest(node.key, rule?.key, `${where}{key}`);
  const keyText = rule?.key ? describeRule(rule.key, false) : "";
  const scalar = isScalar(node.value);
  const valueTest = scalar ? scalarTest(node.value, rule?.value, `${where}{value}`) : undefined;
  const valueCheck = scalar ? undefined : compileNode(node.value, rule?.value, `${where}{value}`);
  const valueText = rule?.value ? describeRule(rule.value, node.value.kind === "number") : "";
  return (value, path, errors) => {
    if (!isObject(value)) return void errors.push(violation(value, path, ofType("map")));
    const keys = Object.keys(value);
    const wrongSize = size(keys.length);
    if (wrongSize) errors.push(violation(value, path, wrongSize));
    let keyFailed = false;
    let valueFailed = false;
    for (const key of keys) {
      if (keyTest.rules(key)) keyFailed = true;
      const entry = value[key];
      const entryPath = `${path}.${key}.member`;
      if (valueCheck) valueCheck(entry, entryPath, errors);
      else if (valueTest) {
        const wrongType = valueTest.type(entry);
        if (wrongType) errors.push(violation(entry, entryPath, wrongType));
        else if (valueTest.rules(entry)) valueFailed = true;
      }
    }
    if (keyFailed) errors.push(violation(value, path, `Map keys must satisfy constraint: ${keyText}`));
    if (valueFailed) errors.push(violation(value, path, `Map value must satisfy constraint: ${valueText}`));
  };
}

function structureCheck(node: StructureNode): Check {
  const members = node.members.map((m) => ({
    name: m.name,
    required: m.required,
    check: compileNode(m.shape, ruleFor(node.name, m.name), `${node.name}.${m.name}`),
  }));
  return (value, path, errors) => {
    if (!isObject(value)) return void errors.push(violation(value, path, ofType("structure")));
    for (const m of members) {
      const v = value[m.name];
      if (v === undefined || v === null) {
        if (m.required) errors.push(violation(null, join(path, m.name), notNull));
        continue;
      }
      m.check(v, join(path, m.name), errors);
    }
  };
}

// Structures are compiled once even when reachable from several places (e.g. ConditionList).
const compiledStructures = new WeakMap<StructureNode, Check>();

export function compileNode(node: ShapeNode, rule: Rule | undefined, where: string): Check {
  if (node.kind === "structure") {
    if (rule !== undefined) throw new Error(`${where}: constraints on structure ${node.name}`);
    const cached = compiledStructures.get(node);
    if (cached) return cached;
    // Registered before its members compile, so a shape reachable from itself terminates.
    const slot: { inner?: Check } = {};
    const check: Check = (value, path, errors) => slot.inner?.(value, path, errors);
    compiledStructures.set(node, check);
    slot.inner = structureCheck(node);
    return check;
  }
  if (node.kind === "list") return listCheck(node, rule, where);
  if (node.kind === "map") return mapCheck(node, rule, where);
  const test = scalarTest(node, rule, where);
  return (value, path, errors) => {
    const wrongType = test.type(value);
    if (wrongType) return void errors.push(violation(value, path, wrongType));
    const failures = test.rules(value);
    if (failures) for (const f of failures) errors.push(violation(value, path, f));
  };
}
