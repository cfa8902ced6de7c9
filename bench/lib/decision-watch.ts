// Watches the database the app reads for an approval's effect: the execution's approval action stored as
// Succeeded and an action of the next stage stored as started. It listens to the change feed's
// notification channel (the feed's triggers notify in the writing transaction, so a signal arrives when
// the change commits) and looks again on each signal; a slow timer covers a lost connection.
import pg from "pg";
import { FEED_CHANNEL } from "@/lib/server/feed/listener";

const FALLBACK_MS = 250;

export interface DecisionWatch {
  /** Resolves with performance.now() at the first look that saw it, or null after `timeoutMs`. */
  visible(target: { pipelineId: string; executionId: string }, timeoutMs: number): Promise<number | null>;
  stop(): Promise<void>;
}

export async function startDecisionWatch(
  databaseUrl: string,
  stages: { approval: string; next: string },
): Promise<DecisionWatch> {
  const listener = new pg.Client({ connectionString: databaseUrl });
  const reader = new pg.Client({ connectionString: databaseUrl });
  await listener.connect();
  await reader.connect();
  let signal: (() => void) | null = null;
  listener.on("notification", () => signal?.());
  await listener.query(`LISTEN ${FEED_CHANNEL}`);

  const shows = async (target: { pipelineId: string; executionId: string }) => {
    const { rows } = await reader.query<{ approved: boolean; started: boolean }>(
      `SELECT coalesce(bool_or(a."stageName" = $3 AND a.status = 'Succeeded'), false) AS approved,
              coalesce(bool_or(a."stageName" = $4), false) AS started
         FROM "ActionExecution" a JOIN "Execution" e ON e.id = a."executionId"
        WHERE e."pipelineId" = $1 AND e."executionId" = $2`,
      [target.pipelineId, target.executionId, stages.approval, stages.next],
    );
    const row = rows[0];
    return row?.approved === true && row.started;
  };

  return {
    async visible(target, timeoutMs) {
      const deadline = performance.now() + timeoutMs;
      let again = false;
      let wake: () => void = () => {};
      signal = () => {
        again = true;
        wake();
      };
      try {
        for (;;) {
          again = false;
          if (await shows(target)) return performance.now();
          if (performance.now() > deadline) return null;
          // A signal that came during the look means another look at once.
          if (!again)
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, FALLBACK_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
        }
      } finally {
        signal = null;
      }
    },
    async stop() {
      await listener.end().catch(() => {});
      await reader.end().catch(() => {});
    },
  };
}
