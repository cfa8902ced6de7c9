import "server-only";
import { randomUUID } from "node:crypto";
import { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";
import type { FeedTx } from "@/lib/server/feed/consumer";
import type { ChangeRow } from "@/lib/server/feed/read-changes";
import type { Desired } from "./desired";
import { loadExecutionFacts, newestExecutionOnCommit, type ExecutionKey } from "./load-facts";
import { reportTarget, type ReportTarget } from "./map-check-runs";
import { jobExecutionId, mapReports } from "./map-reports";
import { readWritebackSettings } from "./settings/read";

// The outbox: the change feed consumer's handler turns the changes of a batch into write-back jobs, inside the
// consumer's transaction (they commit with its cursor move: a crash between changes neither loses nor doubles
// one). Each execution a batch touches is read once, as it is stored now, and mapped to the runs GitHub should
// show under the repository's write-back settings; each report's job keeps only that latest desired state, so
// changes waiting for the same run, status or deployment coalesce.

const ENTITIES = new Set(["execution", "stage", "action", "approval"]);

/** Pure: the executions a batch's changes touch, each once, in the order the feed first names them. */
export function touchedExecutions(changes: readonly ChangeRow[]): ExecutionKey[] {
  const seen = new Map<string, ExecutionKey>();
  for (const change of changes) {
    if (!change.executionId || !ENTITIES.has(change.entity)) continue;
    const key = `${change.pipelineId}\u0000${change.executionId}`;
    if (!seen.has(key)) seen.set(key, { pipelineId: change.pipelineId, executionId: change.executionId });
  }
  return [...seen.values()];
}

export type JobKey = ReportTarget & ExecutionKey & { kind: string; subject: string };

/**
 * Inserts the job, or gives an existing one this desired state when it differs (a change that alters nothing the
 * run shows writes nothing). A job that was done (delivered, dead, skipped) is due again at once with its attempts
 * at zero; one still pending keeps its schedule (backing off, or being sent: the sender sees the newer version
 * when it records, and sends again). A deployment marked inactive stays so: its stage's success, mapped again when
 * the execution moves on, does not bring it back. Returns whether anything was written.
 */
export async function upsertJob(tx: FeedTx, key: JobKey, desired: Desired, now: Date): Promise<boolean> {
  const written = await tx.$executeRaw`
    INSERT INTO "WritebackJob"
      (id, repository, "headSha", "pipelineId", "executionId", kind, subject, desired, "nextAttemptAt", "updatedAt")
    VALUES (${randomUUID()}, ${key.repository}, ${key.headSha}, ${key.pipelineId}, ${key.executionId}, ${key.kind},
            ${key.subject}, ${JSON.stringify(desired)}::jsonb, ${now}, ${now})
    ON CONFLICT (repository, "headSha", "pipelineId", "executionId", kind, subject) DO UPDATE SET
      desired = EXCLUDED.desired,
      "desiredVersion" = "WritebackJob"."desiredVersion" + 1,
      state = 'pending',
      attempts = CASE WHEN "WritebackJob".state = 'pending' THEN "WritebackJob".attempts ELSE 0 END,
      "nextAttemptAt" = CASE WHEN "WritebackJob".state = 'pending' THEN "WritebackJob"."nextAttemptAt" ELSE ${now} END,
      "updatedAt" = ${now}
    WHERE "WritebackJob".desired IS DISTINCT FROM EXCLUDED.desired
      AND NOT (COALESCE("WritebackJob".desired #>> '{deployment,state}', '') = 'inactive'
               AND COALESCE(EXCLUDED.desired #>> '{deployment,state}', '') = 'success')`;
  return written > 0;
}

/**
 * `upsertJob` for many jobs in one statement (keys distinct), with the same rules; returns the jobs it wrote, for
 * the deployments among them that replace earlier ones. One statement per batch keeps the consumer's transaction
 * short: while it is open, the feed holds back every change committed after it began.
 */
export async function upsertJobs(
  tx: FeedTx,
  jobs: readonly { key: JobKey; desired: Desired }[],
  now: Date,
): Promise<{ repository: string; kind: string; state: string | null; environment: string | null }[]> {
  if (!jobs.length) return [];
  const rows = jobs.map(
    ({ key, desired }) =>
      Prisma.sql`(${randomUUID()}, ${key.repository}, ${key.headSha}, ${key.pipelineId}, ${key.executionId},
        ${key.kind}, ${key.subject}, ${JSON.stringify(desired)}::jsonb, ${now}, ${now})`,
  );
  return tx.$queryRaw`
    INSERT INTO "WritebackJob"
      (id, repository, "headSha", "pipelineId", "executionId", kind, subject, desired, "nextAttemptAt", "updatedAt")
    VALUES ${Prisma.join(rows)}
    ON CONFLICT (repository, "headSha", "pipelineId", "executionId", kind, subject) DO UPDATE SET
      desired = EXCLUDED.desired,
      "desiredVersion" = "WritebackJob"."desiredVersion" + 1,
      state = 'pending',
      attempts = CASE WHEN "WritebackJob".state = 'pending' THEN "WritebackJob".attempts ELSE 0 END,
      "nextAttemptAt" = CASE WHEN "WritebackJob".state = 'pending' THEN "WritebackJob"."nextAttemptAt" ELSE ${now} END,
      "updatedAt" = ${now}
    WHERE "WritebackJob".desired IS DISTINCT FROM EXCLUDED.desired
      AND NOT (COALESCE("WritebackJob".desired #>> '{deployment,state}', '') = 'inactive'
               AND COALESCE(EXCLUDED.desired #>> '{deployment,state}', '') = 'success')
    RETURNING repository, kind, desired #>> '{deployment,state}' AS state,
              desired #>> '{deployment,environment}' AS environment`;
}

/**
 * An environment runs its newest successful deployment: every other successful deployment of the repository to it
 * (GitHub compares environment names case-insensitively) becomes `inactive`, as GitHub's Environments page expects.
 * Newest is the latest stage start. Stageboard does this for production environments too, which GitHub's own
 * auto_inactive leaves alone.
 */
export async function deactivateEarlier(tx: FeedTx, repository: string, environment: string, now: Date) {
  return tx.$executeRaw`
    WITH deployed AS (
      SELECT id, desired #>> '{deployment,startedAt}' AS started, seq FROM "WritebackJob"
       WHERE repository = ${repository} AND kind = 'deployment.stage'
         AND lower(desired #>> '{deployment,environment}') = lower(${environment})
         AND desired #>> '{deployment,state}' = 'success'),
    newest AS (SELECT id FROM deployed ORDER BY started DESC, seq DESC LIMIT 1)
    UPDATE "WritebackJob" j SET
      desired = jsonb_set(
        jsonb_set(j.desired, '{deployment,state}', '"inactive"'),
        '{deployment,description}', to_jsonb(left(j.desired #>> '{deployment,payload,pipeline}', 90) || ' ' ||
          left(j.desired #>> '{deployment,payload,executionId}', 8) || ': replaced by a newer deployment')),
      "desiredVersion" = j."desiredVersion" + 1,
      state = 'pending',
      attempts = CASE WHEN j.state = 'pending' THEN j.attempts ELSE 0 END,
      "nextAttemptAt" = CASE WHEN j.state = 'pending' THEN j."nextAttemptAt" ELSE ${now} END,
      "updatedAt" = ${now}
    WHERE j.id IN (SELECT id FROM deployed WHERE id NOT IN (SELECT id FROM newest))`;
}

/** The consumer's handler; how many jobs it created or changed. */
export async function enqueueWriteback(
  tx: FeedTx,
  changes: readonly ChangeRow[],
  options: { baseUrl: string; now?: Date },
): Promise<number> {
  return enqueueExecutions(tx, touchedExecutions(changes), options);
}

/** The jobs these executions' reports call for, as mapped from what is stored: `writeReports` upserts them. */
export type PreparedReports = {
  jobs: { key: JobKey; desired: Desired }[];
};

type Reader = FeedTx | Db;

/** Mapped for one execution; null when it reports to no repository. */
async function prepareExecution(
  db: Reader,
  key: ExecutionKey,
  baseUrl: string,
): Promise<{ startTime: number; jobs: PreparedReports["jobs"] } | null> {
  const execution = await loadExecutionFacts(db, key);
  const target = execution && reportTarget(execution);
  if (!execution || !target) return null;
  const settings = await readWritebackSettings(db as FeedTx, {
    repository: target.repository,
    pipelineId: execution.pipeline.id,
    stageNames: execution.stages.map((s) => s.name),
  });
  const newestOnCommit =
    settings.statuses &&
    (await newestExecutionOnCommit(db, execution.pipeline.id, target.headSha)) === execution.executionId;
  const jobs = mapReports(execution, settings, { baseUrl, newestOnCommit }).map((report) => ({
    key: {
      ...target,
      pipelineId: execution.pipeline.id,
      executionId: jobExecutionId(report, execution.executionId),
      kind: report.kind,
      subject: report.subject,
    },
    desired: report.desired,
  }));
  return { startTime: execution.startTime.getTime(), jobs };
}

/**
 * Maps executions' reports from what is stored now. Given the database rather than a transaction, it reads
 * `width` executions at a time, each on its own connection.
 */
export async function prepareReports(
  db: Reader,
  keys: readonly ExecutionKey[],
  options: { baseUrl: string; width?: number },
): Promise<PreparedReports> {
  const width = "$transaction" in db ? Math.max(1, options.width ?? 1) : 1;
  const mapped = Array.from(
    { length: keys.length },
    (): { startTime: number; jobs: PreparedReports["jobs"] } | null => null,
  );
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, keys.length) }, async () => {
      for (let k = next++; k < keys.length; k = next++)
        mapped[k] = await prepareExecution(db, keys[k]!, options.baseUrl);
    }),
  );
  // Older executions first, so on one commit their runs are created (and so listed by GitHub) before newer ones.
  const ordered = mapped.filter((m) => m !== null).sort((a, b) => a.startTime - b.startTime);
  return { jobs: ordered.flatMap((m) => m.jobs) };
}

/** Upserts prepared jobs (coalescing as above) and makes replaced deployments inactive; how many were written. */
export async function writeReports(tx: FeedTx, prepared: PreparedReports, now: Date): Promise<number> {
  // One job per key (the last mapped), since one statement cannot write a row twice.
  const byKey = new Map<string, { key: JobKey; desired: Desired }>();
  for (const job of prepared.jobs) {
    const { key } = job;
    byKey.set(
      [key.repository, key.headSha, key.pipelineId, key.executionId, key.kind, key.subject].join("\u0000"),
      job,
    );
  }
  const jobs = [...byKey.values()];
  let written = 0;
  const deployed = new Map<string, { repository: string; environment: string }>();
  for (let from = 0; from < jobs.length; from += UPSERT_CHUNK) {
    for (const row of await upsertJobs(tx, jobs.slice(from, from + UPSERT_CHUNK), now)) {
      written++;
      if (row.kind === "deployment.stage" && row.state === "success" && row.environment !== null)
        deployed.set(`${row.repository}\u0000${row.environment.toLowerCase()}`, {
          repository: row.repository,
          environment: row.environment,
        });
    }
  }
  for (const { repository, environment } of deployed.values())
    written += await deactivateEarlier(tx, repository, environment, now);
  return written;
}

/** Jobs per upsert statement. */
const UPSERT_CHUNK = 200;

/**
 * Maps these executions' reports again, as stored now: what the feed's changes do, and what a change the feed does
 * not carry needs (a click on GitHub answered: its outcome is shown on the run). Jobs coalesce as above.
 */
export async function enqueueExecutions(
  tx: FeedTx,
  keys: readonly ExecutionKey[],
  options: { baseUrl: string; now?: Date },
): Promise<number> {
  return writeReports(tx, await prepareReports(tx, keys, options), options.now ?? new Date());
}
