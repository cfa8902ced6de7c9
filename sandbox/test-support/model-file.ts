// AWS's published CodePipeline model (botocore service-2.json), used by tests as the yardstick for
// the sandbox. It sits beside the project on development and CI machines and is never shipped.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

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
  readonly operations: Readonly<Record<string, ModelOperation>>;
  readonly shapes: Readonly<Record<string, ModelShape>>;
}

export const repoRoot = fileURLToPath(new URL("../..", import.meta.url));
export const modelPath = path.resolve(repoRoot, "../shared/aws/codepipeline/service-2.json");

/** False in a user's clone, where the model file does not exist; tests skip on it. */
export function modelAvailable(): boolean {
  return existsSync(modelPath);
}

let cached: ServiceModel | undefined;

export function loadModel(): ServiceModel {
  if (cached) return cached;
  const raw: unknown = JSON.parse(readFileSync(modelPath, "utf8"));
  if (typeof raw !== "object" || raw === null || !("operations" in raw) || !("shapes" in raw)) {
    throw new Error(`${modelPath} is not a botocore service model`);
  }
  cached = raw as ServiceModel;
  return cached;
}

export function shapeOf(model: ServiceModel, name: string): ModelShape {
  const shape = model.shapes[name];
  if (!shape) throw new Error(`Model has no shape ${name}`);
  return shape;
}
