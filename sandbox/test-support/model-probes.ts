// Derives, from AWS's model alone, one bad input per constraint of an operation's input tree
// (each required member, length, range, pattern and enum, at every nesting level) together with
// the violation AWS would report, so tests can check the sandbox rejects each of them.
import { shapeOf, type ModelShape, type ServiceModel } from "./model-file";

export interface Probe {
  readonly input: unknown;
  /** Text the ValidationException message must contain. */
  readonly expect: string;
}

type Wrap = (value: unknown) => unknown;

// "~" is outside every character class in the model and "\n" defeats ".*".
const OFF_PATTERN = "~\n";
const at = (path: string, constraint: string) => `at '${path}' failed to satisfy constraint: ${constraint}`;
const join = (path: string, key: string) => (path === "" ? key : `${path}.${key}`);

function sample(shape: ModelShape): unknown {
  if (shape.type === "structure" || shape.type === "map") return {};
  if (shape.type === "list") return [];
  if (shape.type === "integer" || shape.type === "long") return shape.min ?? 1;
  if (shape.type === "boolean") return true;
  return shape.enum?.[0] ?? "x".repeat(Math.max(shape.min ?? 1, 1));
}

/** Values breaking each constraint of a scalar shape, with the constraint wording AWS uses. */
function scalarBreakers(shape: ModelShape): { value: unknown; constraint: string }[] {
  const out: { value: unknown; constraint: string }[] = [];
  if (shape.type === "integer" || shape.type === "long") {
    out.push({ value: "7", constraint: "Member must be of type" });
    if (shape.max !== undefined)
      out.push({ value: shape.max + 1, constraint: `Member must have value less than or equal to ${shape.max}` });
    if (shape.min !== undefined)
      out.push({ value: shape.min - 1, constraint: `Member must have value greater than or equal to ${shape.min}` });
    return out;
  }
  if (shape.type === "boolean") return [{ value: "yes", constraint: "Member must be of type" }];
  if (shape.type !== "string") return out;
  out.push({ value: 7, constraint: "Member must be of type" });
  if (shape.enum) out.push({ value: "NotAModelledValue", constraint: "Member must satisfy enum value set: [" });
  if (shape.max !== undefined)
    out.push({
      value: "a".repeat(shape.max + 1),
      constraint: `Member must have length less than or equal to ${shape.max}`,
    });
  if (shape.min !== undefined && shape.min > 0)
    out.push({ value: "", constraint: `Member must have length greater than or equal to ${shape.min}` });
  if (shape.pattern !== undefined)
    out.push({ value: OFF_PATTERN, constraint: `Member must satisfy regular expression pattern: ${shape.pattern}` });
  return out;
}

export function probesFor(model: ServiceModel, operation: string): Probe[] {
  const probes: Probe[] = [];
  const input = model.operations[operation]?.input?.shape;
  if (!input) return probes;

  function walk(name: string, wrap: Wrap, path: string, seen: readonly string[]): void {
    const shape = shapeOf(model, name);
    if (shape.type === "structure") {
      if (seen.includes(name)) return;
      for (const member of shape.required ?? []) {
        probes.push({ input: wrap({}), expect: `Value null ${at(join(path, member), "Member must not be null")}` });
      }
      for (const [member, ref] of Object.entries(shape.members ?? {})) {
        walk(ref.shape, (v) => wrap({ [member]: v }), join(path, member), [...seen, name]);
      }
      return;
    }
    if (shape.type === "list" || shape.type === "map") return collection(shape, wrap, path, seen);
    for (const b of scalarBreakers(shape)) probes.push({ input: wrap(b.value), expect: at(path, b.constraint) });
  }

  function collection(shape: ModelShape, wrap: Wrap, path: string, seen: readonly string[]): void {
    const isList = shape.type === "list";
    const element = shapeOf(model, (isList ? shape.member : shape.value)?.shape ?? "");
    const many = (n: number): unknown =>
      isList
        ? Array.from({ length: n }, () => sample(element))
        : Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, sample(element)]));
    if (shape.max !== undefined)
      probes.push({
        input: wrap(many(shape.max + 1)),
        expect: at(path, `Member must have length less than or equal to ${shape.max}`),
      });
    if (shape.min !== undefined && shape.min > 0)
      probes.push({
        input: wrap(many(0)),
        expect: at(path, `Member must have length greater than or equal to ${shape.min}`),
      });
    const key = isList ? undefined : shapeOf(model, shape.key?.shape ?? "");
    const validKey = key ? String(sample(key)).padEnd(key.min ?? 1, "x") : "";
    const embed = (v: unknown): unknown => wrap(isList ? [v] : { [validKey]: v });
    const elementPath = isList ? `${path}.1.member` : `${path}.${validKey}.member`;
    if (element.type === "structure" || element.type === "list" || element.type === "map") {
      return walk(isList ? (shape.member?.shape ?? "") : (shape.value?.shape ?? ""), embed, elementPath, seen);
    }
    const whole = isList ? "Member must satisfy constraint: [" : "Map value must satisfy constraint: [";
    for (const b of scalarBreakers(element)) {
      const typeError = b.constraint === "Member must be of type";
      probes.push({ input: embed(b.value), expect: typeError ? at(elementPath, b.constraint) : at(path, whole) });
    }
    if (!key) return;
    for (const b of scalarBreakers(key)) {
      if (typeof b.value !== "string") continue;
      probes.push({
        input: wrap({ [b.value]: sample(element) }),
        expect: at(path, "Map keys must satisfy constraint: ["),
      });
    }
  }

  walk(input, (v) => v, "", []);
  return probes;
}
