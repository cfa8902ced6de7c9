import { QueryClient } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { touchedBy, type LiveChangeEvent } from "./live-invalidation";
import { pipelineKeys } from "./query-keys";

const event = (pipelineId: string, executionId: string | null, entity = "execution"): LiveChangeEvent => ({
  pipelineId,
  executionId,
  entity,
  name: null,
  status: "Succeeded",
});

function cacheWithPages() {
  const client = new QueryClient();
  const keys = {
    overview: pipelineKeys.overview({}),
    overviewFailed: pipelineKeys.overview({ status: "failed" }),
    repoWithA: pipelineKeys.repository("acme/web"),
    repoWithB: pipelineKeys.repository("acme/api"),
    detailA: pipelineKeys.detail("p-a", null),
    detailAsRan: pipelineKeys.detail("p-a", "e-old"),
    detailB: pipelineKeys.detail("p-b", null),
    historyA: pipelineKeys.history("p-a", {}),
    historyB: pipelineKeys.history("p-b", {}),
    executionA1: pipelineKeys.execution("p-a", "e-1"),
    executionA2: pipelineKeys.execution("p-a", "e-2"),
    executionB1: pipelineKeys.execution("p-b", "e-1"),
  };
  for (const [name, key] of Object.entries(keys)) {
    const data =
      name === "repoWithA"
        ? { pipelines: [{ id: "p-a" }] }
        : name === "repoWithB"
          ? { pipelines: [{ id: "p-b" }] }
          : {};
    client.setQueryData(key, data);
  }
  const touched = (events: LiveChangeEvent[], scope?: { repository?: string }) => {
    const predicate = touchedBy(events, scope);
    return Object.entries(keys)
      .filter(([, key]) => predicate(client.getQueryCache().find({ queryKey: key, exact: true })!))
      .map(([name]) => name)
      .sort();
  };
  return { touched };
}

describe("touchedBy", () => {
  it("an execution's change refetches that execution, its pipeline's detail and history, the overviews and its repository", () => {
    const { touched } = cacheWithPages();
    expect(touched([event("p-a", "e-1")])).toEqual(
      ["detailA", "detailAsRan", "executionA1", "historyA", "overview", "overviewFailed", "repoWithA"].sort(),
    );
  });

  it("a pipeline-level change refetches every execution of that pipeline, and nothing of another pipeline", () => {
    const { touched } = cacheWithPages();
    const names = touched([event("p-b", null, "pipeline")]);
    expect(names).toContain("executionB1");
    expect(names).not.toContain("executionA1");
    expect(names).not.toContain("detailA");
    expect(names).not.toContain("repoWithA");
  });

  it("a repository page's stream refetches that repository for a pipeline it does not list yet", () => {
    const { touched } = cacheWithPages();
    expect(touched([event("p-new", "e-9")], { repository: "ACME/web" })).toEqual([
      "overview",
      "overviewFailed",
      "repoWithA",
    ]);
  });
});
