import "server-only";
import type { Db } from "@/lib/server/db/client";
import type { FeedTx } from "@/lib/server/feed/consumer";
import type { Logger } from "@/lib/server/logger";
import { upsertJob } from "@/lib/server/writeback/enqueue";
import { chooseReleases, type GateCommitState, type ReleaseOrder } from "./decide/choose-releases";
import { evaluateChecks, type CheckVerdict, type CommitChecks, type RequiredChecks } from "./decide/evaluate-checks";
import { nextLookMs, retryMs } from "./decide/next-look";
import { GATE_REPORT_KIND, gateReport, type GateState } from "./gate-report";

// One pass of the release gate, run by every process that processes webhooks: due commits are claimed with SKIP
// LOCKED (so processes share them), their checks read from GitHub once per commit, each pipeline's gate decides
// what to release under a transaction-scoped advisory lock on the pipeline (so two processes never both release
// for one pipeline), and only then is AWS called, outside any transaction. A commit is released at most once: the
// row moves to "releasing" under that lock, and the start carries a clientRequestToken derived from the pipeline
// and the commit, so a start sent again after a crash is one AWS already has. Every change of a commit's state or
// verdict goes out as its gate check run through the write-back outbox, in the transaction that made it.

export const CLAIM_MS = 60_000;
const BATCH = 50;
const ERROR_MAX = 500;

export type StartOutcome =
  | { kind: "started"; executionId: string; awsRequestId: string | null }
  /** AWS (or Stageboard, before asking) says this pipeline cannot start this commit: final. */
  | { kind: "refused"; reason: string }
  /** AWS could not be reached or throttled: tried again later with the same token. */
  | { kind: "failed"; message: string };

export type GatePipeline = {
  id: string;
  name: string;
  repository: string;
  repositoryGithubId: bigint | null;
  checks: string;
  checkNames: string[];
  releaseOrder: string;
};

export type GateDeps = {
  db: Db;
  logger: Pick<Logger, "warn" | "info">;
  now?: () => Date;
  /** This Stageboard's App: its own check runs never count. */
  ownAppId: number | null;
  /** Stageboard's public address, for the check run's links. */
  baseUrl: string;
  readChecks(repository: string, sha: string): Promise<CommitChecks>;
  /** The branch's required checks (branch protection and rulesets), for gates that wait for those. */
  readRequired(repository: string, branch: string): Promise<string[]>;
  start(pipeline: GatePipeline, sha: string): Promise<StartOutcome>;
  /** Written once a release is sent: the audit entry. */
  audit(pipeline: GatePipeline, row: { sha: string; passed: string[] }, outcome: StartOutcome): Promise<void>;
  /** The execution shows sooner when the pipeline is synced now. */
  resync(pipelineId: string): Promise<void>;
};

type Row = {
  id: string;
  pipelineId: string;
  repository: string;
  sha: string;
  branch: string;
  pushedAt: Date;
  createdAt: Date;
  state: GateState;
  verdict: CheckVerdict | null;
  attempts: number;
  executionId: string | null;
  supersededBy: string | null;
  lastError: string | null;
};

const COLUMNS = `id, "pipelineId", repository, sha, branch, "pushedAt", "createdAt", state, verdict, attempts,
  "executionId", "supersededBy", "lastError"`;

async function claimDue(db: Db, now: Date): Promise<Row[]> {
  const until = new Date(now.getTime() + CLAIM_MS);
  // "releasing" rows whose claim ran out belong to a process that died between the decision and AWS's answer.
  return db.$queryRawUnsafe<Row[]>(
    `UPDATE "GateCommit" SET "claimedUntil" = $1, attempts = attempts + 1
      WHERE id IN (SELECT id FROM "GateCommit"
                    WHERE ((state IN ('waiting', 'blocked', 'green') AND "dueAt" <= $2)
                           OR (state = 'releasing' AND "claimedUntil" < $2))
                      AND ("claimedUntil" IS NULL OR "claimedUntil" < $2)
                    ORDER BY "dueAt" NULLS FIRST LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING ${COLUMNS}`,
    until,
    now,
  );
}

async function loadPipelines(db: Db, ids: string[]): Promise<Map<string, GatePipeline>> {
  const rows = await db.$queryRaw<(Omit<GatePipeline, "repositoryGithubId"> & { githubId: string | null })[]>`
    SELECT p.id, p.name, lower(COALESCE(r."githubFullName", r."fullName")) AS repository, r."githubId"::text AS "githubId",
           g.checks, g."checkNames", g."releaseOrder"
      FROM "ReleaseGate" g JOIN "Pipeline" p ON p.id = g."pipelineId" JOIN "Repository" r ON r.id = p."repositoryId"
     WHERE g."pipelineId" = ANY(${ids}::text[]) AND g.enabled AND p."deletedAt" IS NULL`;
  return new Map(
    rows.map(({ githubId, ...row }) => [
      row.id,
      { ...row, repositoryGithubId: githubId === null ? null : BigInt(githubId) },
    ]),
  );
}

const pipelineUrl = (baseUrl: string, pipelineId: string) =>
  `${baseUrl.replace(/\/+$/, "")}/pipelines/${encodeURIComponent(pipelineId)}`;

async function report(tx: FeedTx, deps: GateDeps, pipeline: GatePipeline, row: Row, now: Date): Promise<void> {
  const base = pipelineUrl(deps.baseUrl, pipeline.id);
  const desired = gateReport({
    pipelineId: pipeline.id,
    pipelineName: pipeline.name,
    sha: row.sha,
    state: row.state,
    verdict: row.verdict,
    pipelineUrl: base,
    executionUrl: row.executionId ? `${base}/executions/${encodeURIComponent(row.executionId)}` : null,
    supersededBy: row.supersededBy,
    reason: row.state === "refused" ? row.lastError : null,
    since: row.createdAt,
    at: now,
  });
  const key = { repository: row.repository, headSha: row.sha, pipelineId: pipeline.id, executionId: "" };
  await upsertJob(tx, { ...key, kind: GATE_REPORT_KIND, subject: "" }, desired, now);
}

function requiredFor(pipeline: GatePipeline, required: string[] | null): RequiredChecks {
  if (pipeline.checks === "named") return { kind: "named", names: pipeline.checkNames };
  if (pipeline.checks === "required") return { kind: "named", names: required ?? [] };
  return { kind: "all" };
}

const stateOf = (verdict: CheckVerdict): "green" | "blocked" | "waiting" =>
  verdict.state === "passed" ? "green" : verdict.state === "failed" ? "blocked" : "waiting";

/** Reads each claimed commit's checks once and stores every pipeline's verdict on it. */
async function evaluate(deps: GateDeps, rows: Row[], pipelines: Map<string, GatePipeline>, now: Date) {
  const byCommit = new Map<string, Row[]>();
  for (const row of rows) {
    const key = `${row.repository}@${row.sha}`;
    const group = byCommit.get(key);
    if (group) group.push(row);
    else byCommit.set(key, [row]);
  }
  for (const group of byCommit.values()) {
    const first = group[0]!;
    let checks: CommitChecks;
    const required = new Map<string, string[]>();
    try {
      checks = await deps.readChecks(first.repository, first.sha);
      for (const row of group) {
        if (pipelines.get(row.pipelineId)?.checks === "required" && !required.has(row.branch))
          required.set(row.branch, await deps.readRequired(row.repository, row.branch));
      }
    } catch (err) {
      deps.logger.warn({ err, repository: first.repository }, "release gate could not read a commit's checks");
      const message = (err instanceof Error ? err.message : String(err)).slice(0, ERROR_MAX);
      for (const row of group)
        await deps.db.gateCommit.update({
          where: { id: row.id },
          data: { lastError: message, dueAt: new Date(now.getTime() + retryMs(row.attempts)), claimedUntil: null },
        });
      continue;
    }
    for (const row of group) {
      const pipeline = pipelines.get(row.pipelineId);
      if (!pipeline) {
        // The gate was turned off (or the pipeline deleted) since the commit arrived: nothing to look at any more.
        await deps.db.gateCommit.update({ where: { id: row.id }, data: { dueAt: null, claimedUntil: null } });
        continue;
      }
      const verdict = evaluateChecks(checks, requiredFor(pipeline, required.get(row.branch) ?? null), {
        appId: deps.ownAppId,
        isOwnContext: (context) => context.toLowerCase().startsWith("codepipeline/"),
      });
      const state = stateOf(verdict);
      const lookMs = state === "green" ? null : nextLookMs(state, now.getTime() - row.createdAt.getTime());
      const changed = state !== row.state || JSON.stringify(verdict) !== JSON.stringify(row.verdict);
      const updated: Row = { ...row, state, verdict };
      await deps.db.$transaction(async (tx) => {
        await tx.gateCommit.update({
          where: { id: row.id },
          data: {
            state,
            verdict,
            evaluatedAt: now,
            attempts: 0,
            lastError: null,
            claimedUntil: null,
            dueAt: lookMs === null ? null : new Date(now.getTime() + lookMs),
          },
        });
        if (changed) await report(tx, deps, pipeline, updated, now);
      });
    }
  }
}

/** Under the pipeline's lock: which commits to release and which to skip; returns the rows to start. */
async function decide(deps: GateDeps, pipeline: GatePipeline, now: Date): Promise<Row[]> {
  return deps.db.$transaction(async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`release-gate:${pipeline.id}`}))`;
    const rows = await tx.$queryRawUnsafe<Row[]>(
      `(SELECT ${COLUMNS} FROM "GateCommit" WHERE "pipelineId" = $1 AND state IN ('waiting', 'blocked', 'green'))
       UNION ALL
       (SELECT ${COLUMNS} FROM "GateCommit" WHERE "pipelineId" = $1 AND state IN ('releasing', 'released')
         ORDER BY "pushedAt" DESC LIMIT 1)`,
      pipeline.id,
    );
    const views = rows.map((r) => ({
      sha: r.sha,
      pushedAt: r.pushedAt,
      // A release on its way counts as made: nothing older may follow it.
      state: (r.state === "releasing" ? "released" : r.state) as GateCommitState,
    }));
    const plan = chooseReleases(views, pipeline.releaseOrder as ReleaseOrder);
    const bySha = new Map(rows.map((r) => [r.sha, r]));
    for (const skip of plan.skip) {
      const row = bySha.get(skip.sha)!;
      const skipped: Row = { ...row, state: "skipped", supersededBy: skip.supersededBy };
      await tx.gateCommit.update({
        where: { id: row.id },
        data: { state: "skipped", supersededBy: skip.supersededBy, dueAt: null, claimedUntil: null },
      });
      await report(tx, deps, pipeline, skipped, now);
    }
    const releasing: Row[] = [];
    for (const sha of plan.release) {
      const row = bySha.get(sha)!;
      const claimed = await tx.gateCommit.updateMany({
        where: { id: row.id, state: "green" },
        data: { state: "releasing", dueAt: null, claimedUntil: new Date(now.getTime() + CLAIM_MS) },
      });
      if (claimed.count === 0) continue;
      const moving: Row = { ...row, state: "releasing" };
      await report(tx, deps, pipeline, moving, now);
      releasing.push(moving);
    }
    return releasing;
  });
}

/** Starts one commit (outside any transaction) and records what AWS said. */
async function release(deps: GateDeps, pipeline: GatePipeline, row: Row): Promise<boolean> {
  const outcome = await deps.start(pipeline, row.sha);
  const now = (deps.now ?? (() => new Date()))();
  let next: Row;
  let data: Parameters<Db["gateCommit"]["update"]>[0]["data"];
  switch (outcome.kind) {
    case "started":
      next = { ...row, state: "released", executionId: outcome.executionId };
      data = {
        state: "released",
        executionId: outcome.executionId,
        releasedAt: now,
        claimedUntil: null,
        lastError: null,
      };
      break;
    case "refused":
      next = { ...row, state: "refused", lastError: outcome.reason };
      data = { state: "refused", lastError: outcome.reason.slice(0, ERROR_MAX), claimedUntil: null };
      break;
    case "failed":
      // Back to green, to be decided again: the same token goes with the next start.
      next = { ...row, state: "green" };
      data = {
        state: "green",
        lastError: outcome.message.slice(0, ERROR_MAX),
        claimedUntil: null,
        dueAt: new Date(now.getTime() + retryMs(row.attempts)),
      };
      break;
  }
  await deps.db.$transaction(async (tx) => {
    await tx.gateCommit.update({ where: { id: row.id }, data });
    if (outcome.kind !== "failed") await report(tx, deps, pipeline, next, now);
  });
  if (outcome.kind !== "failed")
    await deps.audit(pipeline, { sha: row.sha, passed: row.verdict?.passed ?? [] }, outcome);
  if (outcome.kind === "started") await deps.resync(pipeline.id);
  else if (outcome.kind === "failed")
    deps.logger.warn({ pipeline: pipeline.id, message: outcome.message }, "release gate could not start a commit yet");
  return outcome.kind === "started";
}

/** One pass: due commits evaluated, each touched pipeline decided, releases sent. */
export async function evaluateDueCommits(deps: GateDeps): Promise<{ again: boolean; released: number }> {
  const now = (deps.now ?? (() => new Date()))();
  const claimed = await claimDue(deps.db, now);
  if (claimed.length === 0) return { again: false, released: 0 };
  const pipelines = await loadPipelines(deps.db, [...new Set(claimed.map((r) => r.pipelineId))]);
  const resend = claimed.filter((r) => r.state === "releasing");
  await evaluate(
    deps,
    claimed.filter((r) => r.state !== "releasing"),
    pipelines,
    now,
  );
  let released = 0;
  for (const row of resend) {
    const pipeline = pipelines.get(row.pipelineId);
    if (pipeline && (await release(deps, pipeline, row))) released++;
  }
  for (const pipeline of pipelines.values()) {
    for (const row of await decide(deps, pipeline, now)) if (await release(deps, pipeline, row)) released++;
  }
  return { again: claimed.length === BATCH, released };
}
