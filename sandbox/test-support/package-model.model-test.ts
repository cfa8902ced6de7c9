// Proves the package model that every test run validates against (aws-sdk v2's model plus
// ./package-model-additions.ts) has botocore's operations, members, JSON types and required members,
// and botocore's structure names, everywhere under every operation.
import { describe, expect, it } from "vitest";
import { loadFullModel, loadPackageModel, shapeOf, type ServiceModel } from "./model-file";
import { OPERATIONS_ADDED_SINCE_PACKAGE_MODEL } from "./package-model-additions";

function differences(ours: ServiceModel, theirs: ServiceModel): string[] {
  const found: string[] = [];
  const visited = new Set<string>();
  const sorted = (names: Iterable<string> = []) => [...names].sort().join(",");

  function walk(ourName: string, theirName: string, where: string): void {
    const key = `${ourName}|${theirName}`;
    if (visited.has(key)) return;
    visited.add(key);
    const a = shapeOf(ours, ourName);
    const b = shapeOf(theirs, theirName);
    if (a.type !== b.type) return void found.push(`${where}: type ${a.type}, botocore says ${b.type}`);
    if (a.type === "list") return walk(a.member?.shape ?? "", b.member?.shape ?? "", `${where}[]`);
    if (a.type === "map") {
      walk(a.key?.shape ?? "", b.key?.shape ?? "", `${where}{key}`);
      return walk(a.value?.shape ?? "", b.value?.shape ?? "", `${where}{value}`);
    }
    if (a.type !== "structure") return;
    if (ourName !== theirName) found.push(`${where}: named ${ourName}, botocore says ${theirName}`);
    const ourMembers = sorted(Object.keys(a.members ?? {}));
    const theirMembers = sorted(Object.keys(b.members ?? {}));
    if (ourMembers !== theirMembers) found.push(`${theirName}: members ${ourMembers}, botocore says ${theirMembers}`);
    if (sorted(a.required) !== sorted(b.required)) {
      found.push(`${theirName}: required ${sorted(a.required)}, botocore says ${sorted(b.required)}`);
    }
    for (const [member, ref] of Object.entries(a.members ?? {})) {
      const other = b.members?.[member];
      if (other) walk(ref.shape, other.shape, `${theirName}.${member}`);
    }
  }

  for (const [operation, op] of Object.entries(ours.operations)) {
    const other = theirs.operations[operation];
    if (!other) {
      found.push(`${operation}: not an operation in botocore's model`);
      continue;
    }
    for (const side of ["input", "output"] as const) {
      const a = op[side]?.shape;
      const b = other[side]?.shape;
      if (a && b) walk(a, b, `${operation} ${side}`);
      else if (a || b) found.push(`${operation}: ${side} ${a ?? "none"}, botocore says ${b ?? "none"}`);
    }
  }
  return found;
}

describe("the package model", () => {
  it("lacks only the operations it is known to lack", () => {
    const missing = Object.keys(loadFullModel().operations).filter((op) => !loadPackageModel().operations[op]);
    expect(missing.sort()).toEqual([...OPERATIONS_ADDED_SINCE_PACKAGE_MODEL].sort());
  });

  it("has botocore's members, types, required members and structure names under every operation", () => {
    expect(differences(loadPackageModel(), loadFullModel())).toEqual([]);
  });

  it("would notice a member the additions left out", () => {
    const model = loadPackageModel();
    const { retryStageMetadata: _dropped, ...members } = shapeOf(model, "StageState").members ?? {};
    const tampered: ServiceModel = {
      ...model,
      shapes: { ...model.shapes, StageState: { ...shapeOf(model, "StageState"), members } },
    };
    expect(differences(tampered, loadFullModel())).toContain(
      `StageState: members ${Object.keys(members).sort().join(",")}, botocore says ${Object.keys(
        shapeOf(loadFullModel(), "StageState").members ?? {},
      )
        .sort()
        .join(",")}`,
    );
  });
});
