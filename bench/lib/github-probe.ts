// Where write-back's lag goes, looked at from outside the delivering process: every 100 ms, the newest change-feed
// row a fresh snapshot sees (when a stored change became readable: its transaction committed and no older one still
// holds it back) and the execution check-run jobs whose desired state changed (when Stageboard had queued it).
// Each lag sample then splits into stored → readable, readable → queued, queued → shown on GitHub.
import type { Db } from "@/lib/server/db/client";
import { expectedCheck, showsCheck, type CheckObservation, type StatusChange } from "./github-expect";
import { percentile } from "./stats";

type Queued = { at: number; status: string; conclusion: string | null };

export interface LagProbe {
  stop(): void;
  /** p50/p95 of each part, over the changes given (with their feed row ids). */
  breakdown(changes: readonly (StatusChange & { id: bigint })[], observations: readonly CheckObservation[]): string;
}

export function startLagProbe(db: Db): LagProbe {
  const visible: { at: number; id: bigint }[] = [];
  const queued = new Map<string, Queued[]>();
  /** Transactions seen open with a txid for over a second, by their current statement: the longest age seen. */
  const holders = new Map<string, number>();
  let since = new Date(Date.now() - 1_000);
  let stopped = false;
  void (async () => {
    while (!stopped) {
      const at = Date.now();
      try {
        const [head] = await db.$queryRaw<{ id: bigint | null }[]>`SELECT max(id) AS id FROM "ChangeEvent"`;
        // The oldest transaction of this database that holds a txid: the feed reads nothing committed after it.
        const [open] = await db.$queryRaw<{ ms: number; query: string }[]>`
          SELECT (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS ms, left(query, 60) AS query
            FROM pg_stat_activity
           WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
           ORDER BY xact_start LIMIT 1`;
        if (open && open.ms > 1_000) {
          const key = open.query.replace(/\s+/g, " ").trim();
          holders.set(key, Math.max(holders.get(key) ?? 0, open.ms));
        }
        if (head?.id != null) visible.push({ at, id: head.id });
        const from = since;
        since = new Date(at - 1_000);
        const jobs = await db.$queryRaw<{ executionId: string; status: string; conclusion: string | null }[]>`
          SELECT "executionId", desired #>> '{checkRun,status}' AS status, desired #>> '{checkRun,conclusion}' AS conclusion
            FROM "WritebackJob" WHERE kind = 'check-run.execution' AND "updatedAt" >= ${from}`;
        for (const j of jobs) {
          const list = queued.get(j.executionId) ?? [];
          const last = list.at(-1);
          if (!last || last.status !== j.status || last.conclusion !== j.conclusion)
            list.push({ at, status: j.status, conclusion: j.conclusion });
          queued.set(j.executionId, list);
        }
      } catch {
        // A probe that misses a round only coarsens the breakdown.
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    stop: () => void (stopped = true),
    breakdown(changes, observations) {
      const parts = { readable: [] as number[], queued: [] as number[], shown: [] as number[] };
      for (const c of changes) {
        const readable = visible.find((v) => v.id >= c.id)?.at;
        const expected = expectedCheck(c.status);
        const shows = (s: { status: string; conclusion: string | null }) =>
          showsCheck(s, expected) || (expected.status === "open" && s.status === "completed");
        const q = (queued.get(c.executionId) ?? []).find((x) => x.at >= c.at && shows(x))?.at;
        const shown = observations.find((o) => o.externalId === c.executionId && o.at >= c.at && shows(o))?.at;
        if (readable === undefined || q === undefined || shown === undefined) continue;
        parts.readable.push(readable - c.at);
        parts.queued.push(Math.max(0, q - readable));
        parts.shown.push(Math.max(0, shown - q));
      }
      const p = (values: number[]) => `p50 ${percentile(values, 50)} ms, p95 ${percentile(values, 95)} ms`;
      const longest = [...holders]
        .sort((a, b) => b[1] - a[1])
        .slice(0, 3)
        .map(([query, ms]) => `${(ms / 1000).toFixed(1)} s in ${JSON.stringify(query)}`);
      return `over ${parts.readable.length} changes: stored → readable ${p(parts.readable)}; readable → queued ${p(parts.queued)}; queued → shown ${p(parts.shown)}${longest.length ? `; transactions open over 1 s: ${longest.join(", ")}` : ""}`;
    },
  };
}
