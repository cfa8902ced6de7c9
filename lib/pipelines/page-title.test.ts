import { describe, expect, it } from "vitest";
import { pipelinePageTitle, pipelineTitle } from "./page-title";

describe("pipelineTitle", () => {
  it("puts the status first, a tick for success", () => {
    expect(pipelineTitle("web-app-prod", "Succeeded")).toBe("✓ web-app-prod");
    expect(pipelineTitle("web-app-prod", "Failed")).toBe("Failed · web-app-prod");
    expect(pipelineTitle("web-app-prod", "InProgress")).toBe("In progress · web-app-prod");
    expect(pipelineTitle("web-app-prod", "SomethingNew")).toBe("Something new · web-app-prod");
    expect(pipelineTitle("web-app-prod", null)).toBe("web-app-prod");
  });

  it("names the page before the pipeline", () => {
    expect(pipelinePageTitle({ name: "api", status: "Failed", page: "History" })).toBe("History · Failed · api");
    expect(pipelinePageTitle({ name: "api", status: "Succeeded" })).toBe("✓ api");
  });
});
