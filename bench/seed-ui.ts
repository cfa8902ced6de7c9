// Seeds the dashboard benchmark database: 200 repositories, 2,000 pipelines (4 stages each) and
// 1,000,000 executions, in bulk SQL (INSERT … SELECT generate_series) so it takes minutes, not hours.
// One "hot" pipeline holds 200,000 executions, so deep history pages are measured where they hurt.
// Run alone with `node --conditions=react-server --import tsx bench/seed-ui.ts <database-url>`.
import pg from "pg";

export const SEED = {
  repositories: 200,
  pipelines: 2_000,
  executions: 1_000_000,
  hotExecutions: 200_000,
  targets: 4,
} as const;

const MESSAGES = [
  "Fix flaky checkout test",
  "feat(api): add pagination to /orders",
  "Escape <img src=x onerror=alert(1)> in product titles",
  "Merge pull request #482 from acme/feature/payments-retry\n\nRetry card payments on gateway timeouts",
  "chore: update CI cache keys",
  "perf: cache catalog lookups",
];

const ACTIONS: [stage: string, name: string, category: string, provider: string, runOrder: number][] = [
  ["Source", "Checkout", "Source", "CodeStarSourceConnection", 1],
  ["Build", "UnitTests", "Test", "CodeBuild", 1],
  ["Build", "Lint", "Test", "CodeBuild", 1],
  ["Build", "Package", "Build", "CodeBuild", 2],
  ["Staging", "DeployStaging", "Deploy", "ECS", 1],
  ["Production", "Approve", "Approval", "Manual", 1],
  ["Production", "DeployProd", "Deploy", "ECS", 2],
];
const STAGES = ["Source", "Build", "Staging", "Production"];

// Execution g belongs to pipeline P(g) and is the k(g)-th newest of it; these SQL expressions are
// reused wherever rows derived from executions are generated.
const H = SEED.hotExecutions;
const N = SEED.pipelines - 1;
const PIPE = `(CASE WHEN g <= ${H} THEN 1 ELSE 2 + (g % ${N}) END)`;
const K = `(CASE WHEN g <= ${H} THEN g - 1 ELSE (g - ${H} - 1) / ${N} END)`;
const START = `(now() - make_interval(mins => (CASE WHEN g <= ${H} THEN ${K} * 3 ELSE ${K} * 90 + (g % ${N}) % 60 END)))`;
const EXEC_ID = `(substr(md5(g::text), 1, 8) || '-' || substr(md5(g::text), 9, 4) || '-4' || substr(md5(g::text), 14, 3) || '-a' || substr(md5(g::text), 18, 3) || '-' || substr(md5(g::text), 21, 12))`;

function snapshot(i: number): object {
  const latest = `e-latest-${i}`;
  const running = i % 10 === 0;
  const disabled = i % 50 === 0;
  const awaitingApproval = i % 25 === 0;
  return {
    pipelineVersion: 1,
    created: null,
    updated: null,
    stages: STAGES.map((stage, s) => ({
      name: stage,
      latestExecution: {
        executionId: latest,
        status: running && s === 1 ? "InProgress" : i % 7 === 0 && s === 2 ? "Failed" : "Succeeded",
        type: "STANDARD",
      },
      inboundTransition:
        s === 0
          ? null
          : {
              enabled: !(disabled && stage === "Production"),
              disabledReason: disabled && stage === "Production" ? "Release freeze" : null,
              lastChangedBy: null,
              lastChangedAt: null,
            },
      inboundExecutions: [],
      actions: ACTIONS.filter((a) => a[0] === stage).map(([, name, category]) => ({
        name,
        latestExecutionId: null,
        status: awaitingApproval && category === "Approval" ? "InProgress" : "Succeeded",
        summary: null,
        lastStatusChange: new Date().toISOString(),
        externalExecutionId: null,
        externalExecutionUrl: null,
        errorCode: null,
        errorMessage: null,
        percentComplete: null,
        hasToken: awaitingApproval && category === "Approval",
        revisionId: null,
        revisionUrl: null,
        entityUrl: null,
      })),
      conditions: [],
      retry: null,
    })),
  };
}

export async function seedUi(url: string, log: (line: string) => void = console.log): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t0 = performance.now();
    const result = await client.query(sql, params);
    log(`  ${label}: ${result.rowCount ?? 0} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  };
  try {
    await client.query("SET synchronous_commit = off");
    await client.query("SET maintenance_work_mem = '256MB'");
    await step(
      "clear",
      `TRUNCATE "Target", "Repository", "Pipeline", "Execution", "StageExecution", "ActionExecution", "RuleExecution", "Stage", "Action", "PipelineSync", "Approval" CASCADE`,
    );
    await step(
      "targets",
      `INSERT INTO "Target" (id, "accountId", region, "lastSuccessAt") SELECT 't' || g, lpad((111111111111 * g)::text, 12, '0'), (ARRAY['us-east-1','eu-west-1','ap-southeast-2','us-west-2'])[g], CASE WHEN g = 4 THEN now() - interval '2 hours' ELSE now() END FROM generate_series(1, ${SEED.targets}) g`,
    );
    await step(
      "repositories",
      // Pinned to GitHub ids as a signed-in user's list would have pinned them (visibility compares ids).
      `INSERT INTO "Repository" (id, "fullName", owner, name, "githubId", "githubIdSource") SELECT 'r' || g, 'org' || (g % 10) || '/repo-' || g, 'org' || (g % 10), 'repo-' || g, 800000 + g, 'user-repository-list' FROM generate_series(1, ${SEED.repositories}) g`,
    );
    const states = Array.from({ length: SEED.pipelines }, (_, i) => JSON.stringify(snapshot(i + 1)));
    await step(
      "pipelines",
      `
      INSERT INTO "Pipeline" (id, "targetId", name, "repositoryId", "sourceBranch", "sourceProvider", "pipelineType", "executionMode", version, state, "stateFetchedAt", "updatedAt")
      SELECT 'p' || g, 't' || (1 + g % ${SEED.targets}), 'pipeline-' || g, 'r' || (1 + (g - 1) % ${SEED.repositories}), 'main', 'CodeStarSourceConnection', 'V2',
             (ARRAY['QUEUED','SUPERSEDED','PARALLEL'])[1 + g % 3], 1, ($1::jsonb[])[g], now(), now()
      FROM generate_series(1, ${SEED.pipelines}) g`,
      [states],
    );
    await step(
      "pipeline sync",
      `INSERT INTO "PipelineSync" ("pipelineId", "lastSuccessAt", "backfillDone") SELECT id, now(), true FROM "Pipeline"`,
    );
    await step(
      "stages",
      `
      INSERT INTO "Stage" ("pipelineId", name, position, "transitionEnabled", "disabledReason")
      SELECT p.id, s.name, s.pos - 1, NOT (s.name = 'Production' AND substr(p.id, 2)::int % 50 = 0), CASE WHEN s.name = 'Production' AND substr(p.id, 2)::int % 50 = 0 THEN 'Release freeze' END
      FROM "Pipeline" p CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS s(name, pos)`,
      [STAGES],
    );
    await step(
      "actions",
      `
      INSERT INTO "Action" ("pipelineId", "stageName", name, category, owner, provider, "providerVersion", "runOrder")
      SELECT p.id, a.stage, a.name, a.category, 'AWS', a.provider, '1', a.run_order
      FROM "Pipeline" p CROSS JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[]) AS a(stage, name, category, provider, run_order)`,
      [
        ACTIONS.map((a) => a[0]),
        ACTIONS.map((a) => a[1]),
        ACTIONS.map((a) => a[2]),
        ACTIONS.map((a) => a[3]),
        ACTIONS.map((a) => a[4]),
      ],
    );
    await step(
      "executions",
      `
      INSERT INTO "Execution" (id, "pipelineId", "executionId", status, "triggerType", "triggerDetail", "executionMode", "startTime", "lastUpdateTime", "completedAt",
                               "commitSha", "commitMessage", "commitUrl", branch, "pipelineVersion", "updatedAt")
      SELECT 'x' || g, 'p' || ${PIPE}, ${EXEC_ID},
             CASE WHEN ${K} = 0 AND ${PIPE} % 10 = 0 THEN 'InProgress' WHEN g % 17 = 0 THEN 'Failed' WHEN g % 31 = 0 THEN 'Superseded' ELSE 'Succeeded' END,
             (ARRAY['WebhookV2','StartPipelineExecution','CloudWatchEvent'])[1 + (g % 11 = 0)::int + (g % 13 = 0)::int], 'arn:aws:codeconnections:us-east-1:1:connection/x',
             'QUEUED', ${START}, ${START} + make_interval(secs => 120 + g % 900), CASE WHEN ${K} = 0 AND ${PIPE} % 10 = 0 THEN NULL ELSE ${START} + make_interval(secs => 120 + g % 900) END,
             md5(g::text) || substr(md5((g + 1)::text), 1, 8), ($1::text[])[1 + g % ${MESSAGES.length}], 'https://github.com/org/repo/commit/' || md5(g::text),
             CASE WHEN g % 9 = 0 THEN 'feature/f-' || (g % 5) ELSE 'main' END, 1, ${START}
      FROM generate_series(1, ${SEED.executions}) g`,
      [MESSAGES],
    );
    await step(
      "latest execution per pipeline",
      `
      UPDATE "Pipeline" p SET "latestExecutionId" = e."executionId", "latestStatus" = e.status, "latestStartTime" = e."startTime"
      FROM (SELECT DISTINCT ON ("pipelineId") "pipelineId", "executionId", status, "startTime" FROM "Execution" ORDER BY "pipelineId", "startTime" DESC) e
      WHERE e."pipelineId" = p.id`,
    );
    // The snapshots name their latest execution; point them at the real one.
    await step(
      "snapshots",
      `UPDATE "Pipeline" SET state = replace(state::text, 'e-latest-' || substr(id, 2), "latestExecutionId")::jsonb`,
    );
    const recent = `FROM generate_series(1, ${SEED.executions}) g CROSS JOIN unnest($1::text[]) WITH ORDINALITY AS s(name, pos) WHERE ${K} < 20`;
    await step(
      "stage executions (20 newest per pipeline)",
      `
      INSERT INTO "StageExecution" ("executionId", "stageName", status, "startTime", "endTime")
      SELECT 'x' || g, s.name, CASE WHEN ${K} = 0 AND ${PIPE} % 10 = 0 AND s.pos = 2 THEN 'InProgress' WHEN g % 17 = 0 AND s.pos = 3 THEN 'Failed' ELSE 'Succeeded' END, ${START} + make_interval(secs => s.pos * 30), ${START} + make_interval(secs => s.pos * 30 + 30)
      ${recent}`,
      [STAGES],
    );
    await step(
      "action executions (newest per pipeline)",
      `
      INSERT INTO "ActionExecution" (id, "executionId", "actionExecutionId", "stageName", "actionName", status, "startTime", "lastUpdateTime", category, provider, "externalExecutionId", "externalExecutionUrl")
      SELECT 'ax' || g || '-' || a.pos, 'x' || g, md5(g::text || a.pos), a.stage, a.name, 'Succeeded', ${START} + make_interval(secs => a.pos * 20), ${START} + make_interval(secs => a.pos * 20 + 15),
             a.category, a.provider, 'build:' || md5(g::text || a.pos), 'https://console.aws.amazon.com/codesuite/codebuild/projects/x/build/' || md5(g::text || a.pos)
      FROM generate_series(1, ${SEED.executions}) g
      CROSS JOIN unnest($1::text[], $2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS a(stage, name, category, provider, pos)
      WHERE ${K} = 0`,
      [ACTIONS.map((a) => a[0]), ACTIONS.map((a) => a[1]), ACTIONS.map((a) => a[2]), ACTIONS.map((a) => a[3])],
    );
    await step(
      "pending approvals",
      `
      INSERT INTO "Approval" (id, "pipelineId", "stageName", "actionName", token, status, "requestedAt")
      SELECT 'ap' || g, 'p' || g, 'Production', 'Approve', md5('token' || g), 'Pending', now() - interval '1 hour' FROM generate_series(25, ${SEED.pipelines}, 25) g`,
    );
    await step("analyze", "ANALYZE");
  } finally {
    await client.end();
  }
}

/** True when the database already holds this seed (re-running the benchmark reuses it). */
export async function isSeeded(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ pipelines: string; executions: string; approvals: string; unpinned: string }>(
      `SELECT (SELECT count(*) FROM "Pipeline") AS pipelines, (SELECT reltuples::bigint FROM pg_class WHERE relname = 'Execution') AS executions,
              (SELECT count(*) FROM "Approval") AS approvals, (SELECT count(*) FROM "Repository" WHERE "githubId" IS NULL) AS unpinned`,
    );
    const row = rows[0];
    // A seed from before repositories carried GitHub ids is seeded again.
    return (
      Number(row?.unpinned) === 0 &&
      Number(row?.pipelines) === SEED.pipelines &&
      Number(row?.executions) >= SEED.executions * 0.95 &&
      Number(row?.approvals) > 0
    );
  } finally {
    await client.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const url = process.argv[2];
  if (!url) {
    console.error("usage: bench/seed-ui.ts <database-url>");
    process.exit(2);
  }
  const t0 = performance.now();
  await seedUi(url);
  console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
