import { QueryClient, QueryObserver } from "@tanstack/react-query";
import { describe, expect, it } from "vitest";
import { approvalKeys } from "@/lib/control/query-keys";
import { refetchTouched, touchedBy, type LiveChangeEvent } from "./live-invalidation";
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
    inbox: approvalKeys.inbox(),
    approvalCount: approvalKeys.count(),
    approvalA: approvalKeys.detail("ap-a"),
    approvalB: approvalKeys.detail("ap-b"),
  };
  for (const [name, key] of Object.entries(keys)) {
    const data =
      name === "repoWithA"
        ? { pipelines: [{ id: "p-a" }] }
        : name === "repoWithB"
          ? { pipelines: [{ id: "p-b" }] }
          : name === "approvalA"
            ? { id: "ap-a", pipelineId: "p-a" }
            : name === "approvalB"
              ? { id: "ap-b", pipelineId: "p-b" }
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
      [
        "approvalA",
        "detailA",
        "detailAsRan",
        "executionA1",
        "historyA",
        "overview",
        "overviewFailed",
        "repoWithA",
      ].sort(),
    );
  });

  it("an approval's change refetches the inbox, the header's count and every approval shown", () => {
    const { touched } = cacheWithPages();
    const names = touched([event("p-b", "e-1", "approval")]);
    expect(names).toEqual(expect.arrayContaining(["inbox", "approvalCount", "approvalA", "approvalB", "detailB"]));
    expect(names).not.toContain("detailA");
    // Other changes leave the inbox and the count alone.
    expect(touched([event("p-b", "e-1", "action")])).not.toContain("approvalCount");
    expect(touched([event("p-b", "e-1", "action")])).not.toContain("inbox");
  });

  it("a pipeline-level change refetches every execution of that pipeline, and nothing of another pipeline", () => {
    const { touched } = cacheWithPages();
    const names = touched([event("p-b", null, "pipeline")]);
    expect(names).toContain("executionB1");
    expect(names).not.toContain("executionA1");
    expect(names).not.toContain("detailA");
    expect(names).not.toContain("repoWithA");
    expect(names).toContain("approvalB");
    expect(names).not.toContain("approvalA");
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

describe("refetchTouched", () => {
  /** An active query (observed, as on a page) whose fetches finish only when released. */
  function observed(client: QueryClient) {
    const key = pipelineKeys.detail("p-a", null);
    const releases: (() => void)[] = [];
    let calls = 0;
    const observer = new QueryObserver(client, {
      queryKey: key,
      staleTime: Infinity,
      queryFn: () =>
        new Promise<{ n: number }>((resolve) => {
          const n = ++calls;
          releases.push(() => resolve({ n }));
        }),
    });
    const unsubscribe = observer.subscribe(() => undefined);
    return { key, calls: () => calls, release: () => releases.shift()?.(), unsubscribe };
  }
  const pipelineChange = () => touchedBy([event("p-a", null, "pipeline")]);

  it("fetches a query once more when the change arrived while it was already being fetched", async () => {
    const client = new QueryClient();
    const q = observed(client);
    expect(q.calls()).toBe(1);
    const done = refetchTouched(client, pipelineChange());
    q.release();
    await expect.poll(() => q.calls()).toBe(2);
    q.release();
    await done;
    expect(client.getQueryData(q.key)).toEqual({ n: 2 });
    q.unsubscribe();
  });

  it("fetches a query that is not being fetched once", async () => {
    const client = new QueryClient();
    const q = observed(client);
    q.release();
    await expect.poll(() => client.getQueryData(q.key)).toEqual({ n: 1 });
    const done = refetchTouched(client, pipelineChange());
    await expect.poll(() => q.calls()).toBe(2);
    q.release();
    await done;
    expect(q.calls()).toBe(2);
    q.unsubscribe();
  });
});
