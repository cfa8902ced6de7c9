import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Viewer } from "@/lib/server/auth/visibility";

// The pages, called as Next calls them (params and searchParams already decoded): input that does not
// fit answers 404 (notFound) before any data is read, where it used to throw (500).
const state = vi.hoisted(() => ({ reached: [] as string[] }));
// The pages refuse before reading anything of the viewer.
const viewer = { userId: "u", login: "u" } as Partial<Viewer> as Viewer;
vi.mock("@/lib/server/session", () => ({
  requireViewer: () => Promise.resolve(viewer),
  getViewer: () => Promise.resolve(viewer),
}));
const reached = (name: string) => () => {
  state.reached.push(name);
  return Promise.resolve(null);
};
vi.mock("@/lib/server/db/client", () => ({ db: {} }));
// The feed position a page reads before its data (for its live stream) is no data of the viewer's.
vi.mock("@/lib/server/live/page-event-id", () => ({ pageEventId: () => Promise.resolve("0-0") }));
vi.mock("@/lib/server/pipelines/get-overview", () => ({ getOverview: reached("getOverview") }));
vi.mock("@/lib/server/pipelines/get-pipeline-detail", () => ({ getPipelineDetail: reached("getPipelineDetail") }));
vi.mock("@/lib/server/pipelines/get-execution-detail", () => ({ getExecutionDetail: reached("getExecutionDetail") }));
vi.mock("@/lib/server/pipelines/list-executions", () => ({
  listExecutions: reached("listExecutions"),
  historyFilterOptions: reached("historyFilterOptions"),
}));
vi.mock("@/lib/server/pipelines/get-repository-overview", () => ({
  getRepositoryOverview: reached("getRepositoryOverview"),
}));
vi.mock("@/lib/server/pipelines/visibility", () => ({
  isPipelineVisible: reached("isPipelineVisible"),
  canSeeRepository: () => {
    state.reached.push("canSeeRepository");
    return false;
  },
}));

const overview = (await import("@/app/(dashboard)/(overview)/page")).default;
const pipelinePage = (await import("@/app/(dashboard)/pipelines/[id]/page")).default;
const pipelineLayout = (await import("@/app/(dashboard)/pipelines/[id]/layout")).default;
const history = (await import("@/app/(dashboard)/pipelines/[id]/executions/page")).default;
const execution = (await import("@/app/(dashboard)/pipelines/[id]/executions/[executionId]/page")).default;
const repository = (await import("@/app/(dashboard)/repositories/[owner]/[name]/page")).default;
const repositoryLayout = (await import("@/app/(dashboard)/repositories/[owner]/[name]/layout")).default;

const NOT_FOUND = expect.objectContaining({ digest: expect.stringMatching(/;404$/) as string }) as Error;
const long = (n: number) => "x".repeat(n);
const search = (values: Record<string, string>) => Promise.resolve(values);

describe("pages answer 404 to input that does not fit, before reading any data", () => {
  beforeEach(() => {
    state.reached = [];
  });

  const cases: [string, () => Promise<unknown>][] = [
    ["an over-long overview search", () => overview({ searchParams: search({ q: long(101) }) })],
    [
      "an over-long pipeline id",
      () => pipelinePage({ params: Promise.resolve({ id: long(65) }), searchParams: search({}) }),
    ],
    [
      "an over-long ?execution=",
      () => pipelinePage({ params: Promise.resolve({ id: "p" }), searchParams: search({ execution: long(101) }) }),
    ],
    [
      "an over-long pipeline id (layout)",
      () => pipelineLayout({ params: Promise.resolve({ id: long(65) }), children: null }),
    ],
    [
      "an over-long history filter",
      () => history({ params: Promise.resolve({ id: "p" }), searchParams: search({ branch: long(256) }) }),
    ],
    [
      "an over-long history cursor",
      () => history({ params: Promise.resolve({ id: "p" }), searchParams: search({ cursor: long(201) }) }),
    ],
    ["an over-long execution id", () => execution({ params: Promise.resolve({ id: "p", executionId: long(101) }) })],
    ["markup as a repository owner", () => repository({ params: Promise.resolve({ owner: "<b>", name: "web" }) })],
    [
      "a `%` in a repository name (layout)",
      () => repositoryLayout({ params: Promise.resolve({ owner: "acme", name: "%E0%A4%A" }), children: null }),
    ],
  ];
  for (const [what, render] of cases) {
    it(what, async () => {
      await expect(render()).rejects.toEqual(NOT_FOUND);
      expect(state.reached).toEqual([]);
    });
  }

  // Next has decoded the segment already: a literal "%E0%A4%A" must not be decoded again (that threw: 500).
  it("reads literal `%` text in an execution id as it is, without decoding it again", async () => {
    await expect(execution({ params: Promise.resolve({ id: "p", executionId: "%E0%A4%A" }) })).rejects.toEqual(
      NOT_FOUND,
    );
    expect(state.reached).toEqual(["getExecutionDetail"]);
  });
});
