// The server data functions the dashboard pages call (lib/server/pipelines/*), timed in process
// against PostgreSQL: no session lookup, rendering or HTTP. Compared with the HTTP figures they
// show how much of a page's time is the data and how much is everything around it.
import { encodeCursor } from "@/lib/pipelines/cursor";
import type { Db } from "@/lib/server/db/client";
import { getChangeToken } from "@/lib/server/pipelines/get-change-token";
import { getOverview } from "@/lib/server/pipelines/get-overview";
import { getPipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { listExecutions } from "@/lib/server/pipelines/list-executions";
import type { Viewer } from "@/lib/server/session";
import { SEED } from "../seed-ui";
import { time } from "./stats";

export interface DataTimes {
  overview: number[];
  overviewAll: number[];
  pipeline: number[];
  history: number[];
  filteredHistory: number[];
  changes: number[];
}

/** The row `depth` places into a pipeline's history, newest first (the order history pages use). */
export async function historyRow(db: Db, pipelineId: string, depth: number) {
  const rows = await db.execution.findMany({
    where: { pipelineId },
    orderBy: [{ startTime: "desc" }, { id: "asc" }],
    skip: depth,
    take: 1,
    select: { id: true, startTime: true, executionId: true },
  });
  return rows[0];
}

export async function timeDataFunctions(db: Db, runs: number): Promise<DataTimes> {
  const repos = await db.repository.findMany({ select: { fullName: true, githubId: true } });
  const viewer: Viewer = {
    userId: "bench",
    login: "bench",
    name: null,
    image: null,
    isAdmin: false,
    fetchedAt: new Date(),
    accessError: null,
    repositories: new Map(repos.map((r) => [r.fullName, "read" as const])),
    repositoryIds: new Map(repos.flatMap((r) => (r.githubId === null ? [] : [[r.fullName, r.githubId]]))),
  };
  const deps = { db };

  // The page as served (the first 300 rows, attention first) and with every one of the 2,000 rows.
  const overview = await time(runs, () => getOverview(viewer, {}, deps));
  const overviewAll = await time(Math.ceil(runs / 2), () => getOverview(viewer, { all: "1" }, deps));
  const ids = Array.from({ length: runs + 3 }, (_, i) => `p${1 + ((i * 7919) % SEED.pipelines)}`);
  const pipeline = await time(runs, (i) => getPipelineDetail(viewer, ids[i % ids.length] ?? "p1", null, deps));

  // Deep history: cursors taken at 80% of the hot pipeline (160,000 rows in) and deep in ordinary ones.
  const cursors: { pipelineId: string; cursor: string }[] = [];
  for (const [pipelineId, depth] of [
    ["p1", 160_000],
    ["p1", 199_000],
    ["p17", 350],
    ["p1500", 300],
  ] as const) {
    const row = await historyRow(db, pipelineId, depth);
    if (row) cursors.push({ pipelineId, cursor: encodeCursor(row) });
  }
  const history = await time(runs, (i) => {
    const pick = cursors[i % cursors.length] ?? { pipelineId: "p1", cursor: "" };
    return listExecutions(viewer, pick.pipelineId, { cursor: pick.cursor }, deps);
  });
  const filteredHistory = await time(runs, (i) =>
    listExecutions(viewer, "p1", { cursor: cursors[i % 2]?.cursor, status: "Failed" }, deps),
  );
  // What every open page polls each second.
  const changes = await time(runs, (i) => getChangeToken(viewer, i % 2 ? { pipeline: ids[i % ids.length] } : {}, deps));
  return { overview, overviewAll, pipeline, history, filteredHistory, changes };
}
