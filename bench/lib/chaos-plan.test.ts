import { describe, expect, it } from "vitest";
import { killSteps, tallyConsumer } from "./chaos-plan";

describe("killSteps", () => {
  it("spreads the kills over the middle 80% of the stretch, one per slice, all distinct", () => {
    for (const r of [0, 0.5, 0.999999]) {
      const steps = [...killSteps(4, 600, () => r)].sort((a, b) => a - b);
      expect(steps).toHaveLength(4);
      for (const [i, step] of steps.entries()) {
        expect(step).toBeGreaterThanOrEqual(60 + i * 120);
        expect(step).toBeLessThan(60 + (i + 1) * 120);
      }
    }
  });
});

describe("tallyConsumer", () => {
  it("counts rows never handled as gaps and repeated handlings as duplicates", () => {
    expect(tallyConsumer([1n, 2n, 2n, 3n, 5n, 5n, 5n], [1n, 2n, 3n, 4n, 5n])).toEqual({ gaps: 1, duplicates: 3 });
  });

  it("finds nothing wrong with a record that handled every row once", () => {
    expect(tallyConsumer([3n, 1n, 2n], [1n, 2n, 3n])).toEqual({ gaps: 0, duplicates: 0 });
  });
});
