import { describe, expect, it } from "vitest";
import { changeScopeSchema, executionParamsSchema, historyFiltersSchema, pipelineParamsSchema } from "./schemas";

// PostgreSQL's text cannot hold NUL: an id or filter carrying one must be refused here, not in a query.
describe("text from an address", () => {
  it("refuses control characters in ids and filters", () => {
    expect(pipelineParamsSchema.safeParse({ id: "\u0000" }).success).toBe(false);
    expect(pipelineParamsSchema.safeParse({ id: "ck9x2abc" }).success).toBe(true);
    expect(executionParamsSchema.safeParse({ id: "ck9x2abc", executionId: "a\u0000b" }).success).toBe(false);
    expect(historyFiltersSchema.safeParse({ branch: "main\u0000" }).success).toBe(false);
    expect(changeScopeSchema.safeParse({ repository: "acme/web-app\n" }).success).toBe(false);
    expect(historyFiltersSchema.safeParse({ branch: "feature/ü-€" }).success).toBe(true);
  });
});
