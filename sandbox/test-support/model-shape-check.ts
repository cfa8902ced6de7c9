// Checks a JSON value against a shape of AWS's model, the way a strict client would read it:
// unknown members, wrong JSON types, non-numeric timestamps, missing required members and, where the
// model has them (botocore's does, the package model does not), enum values it does not list and
// out-of-model lengths, patterns and ranges.
import { shapeOf, type ServiceModel } from "./model-file";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

const patterns = new Map<string, RegExp>();
function fullMatch(pattern: string): RegExp {
  let regex = patterns.get(pattern);
  if (!regex) {
    regex = new RegExp(`^(?:${pattern})$`);
    patterns.set(pattern, regex);
  }
  return regex;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

export function checkShape(
  model: ServiceModel,
  shapeName: string,
  value: unknown,
  where: string,
  problems: string[],
): void {
  const shape = shapeOf(model, shapeName);
  const problem = (text: string) => problems.push(`${where || "(body)"}: ${text}`);
  // The package model's scalars are named by their type, which says nothing more.
  const named = shapeName === shape.type ? "" : ` (${shapeName})`;
  const bounds = (size: number, unit: string) => {
    if (shape.min !== undefined && size < shape.min) problem(`${unit} ${size} below min ${shape.min} (${shapeName})`);
    if (shape.max !== undefined && size > shape.max) problem(`${unit} ${size} above max ${shape.max} (${shapeName})`);
  };
  switch (shape.type) {
    case "structure": {
      if (!isObject(value)) return void problem(`expected ${shapeName} object, got ${show(value)}`);
      const members = shape.members ?? {};
      for (const name of shape.required ?? []) {
        if (value[name] === undefined || value[name] === null)
          problem(`required member ${name} of ${shapeName} missing`);
      }
      for (const [name, member] of Object.entries(value)) {
        const ref = members[name];
        if (!ref) problem(`unknown member ${name} in ${shapeName}`);
        else if (member !== null) checkShape(model, ref.shape, member, where ? `${where}.${name}` : name, problems);
      }
      return;
    }
    case "list": {
      if (!Array.isArray(value)) return void problem(`expected ${shapeName} array, got ${show(value)}`);
      bounds(value.length, "length");
      const element = shape.member?.shape ?? "";
      value.forEach((item: unknown, i) => checkShape(model, element, item, `${where}[${i}]`, problems));
      return;
    }
    case "map": {
      if (!isObject(value)) return void problem(`expected ${shapeName} map, got ${show(value)}`);
      bounds(Object.keys(value).length, "size");
      for (const [key, item] of Object.entries(value)) {
        checkShape(model, shape.key?.shape ?? "", key, `${where}{key ${show(key)}}`, problems);
        checkShape(model, shape.value?.shape ?? "", item, `${where}.${key}`, problems);
      }
      return;
    }
    case "string": {
      if (typeof value !== "string") return void problem(`expected string${named}, got ${show(value)}`);
      if (shape.enum && !shape.enum.includes(value)) problem(`${show(value)} is not a ${shapeName} value`);
      bounds(value.length, "length");
      if (shape.pattern && !fullMatch(shape.pattern).test(value)) {
        problem(`${show(value)} does not match ${shapeName} pattern ${shape.pattern}`);
      }
      return;
    }
    case "integer":
    case "long":
      if (typeof value !== "number" || !Number.isInteger(value))
        return void problem(`expected integer, got ${show(value)}`);
      return bounds(value, "value");
    case "float":
    case "double":
      if (typeof value !== "number" || !Number.isFinite(value))
        return void problem(`expected number, got ${show(value)}`);
      return bounds(value, "value");
    case "boolean":
      if (typeof value !== "boolean") problem(`expected boolean, got ${show(value)}`);
      return;
    case "timestamp":
      // awsJson1_1 sends epoch seconds as a JSON number; an ISO string breaks the JS SDK.
      if (typeof value !== "number" || !Number.isFinite(value))
        problem(`expected epoch-seconds number, got ${show(value)}`);
      return;
    case "blob":
      if (typeof value !== "string") problem(`expected base64 string, got ${show(value)}`);
      return;
    default:
      problem(`unsupported model type ${shape.type} (${shapeName})`);
  }
}
