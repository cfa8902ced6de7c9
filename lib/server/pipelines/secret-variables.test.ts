// A pipeline that declares a secret-named variable, run with a secret value, synced from the sandbox:
// neither the database nor the page data a repository reader gets hold the secret.
import {
  CodePipelineClient,
  CreatePipelineCommand,
  GetPipelineCommand,
  ListPipelinesCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASKED } from "@/lib/server/secrets/mask";
import type { Viewer } from "@/lib/server/session";
import { syncOnce } from "@/lib/server/sync/engine";
import { createFixture, type Fixture } from "@/lib/server/sync/testing/fixture";
import { getExecutionDetail } from "./get-execution-detail";
import { getPipelineDetail } from "./get-pipeline-detail";

// Built from parts so that no scanner mistakes the fixtures for leaked credentials.
const DEFAULT_SECRET = "default-s3cr3t-value";
const RUN_SECRET = "run-s3cr3t-value";
const TOKEN_IN_NOTES = ["ghp", "_", "Z9y8X7w6V5u4T3s2R1q0P9o8N7m6L5k4J3i2"].join("");

/** The GitHub id the mapped repository is pinned to, as a signed-in user's list would have pinned it. */
const REPOSITORY_ID = 7001n;
const reader = (repository: string): Viewer => ({
  userId: "reader",
  login: "linus",
  name: null,
  image: null,
  isAdmin: false,
  fetchedAt: new Date(),
  accessError: null,
  repositories: new Map([[repository, "read" as const]]),
  repositoryIds: new Map([[repository, REPOSITORY_ID]]),
});

let f: Fixture;
let pipelineId = "";
let executionId = "";
let repository = "";

beforeAll(async () => {
  f = await createFixture({ pipelines: 3, historyDays: 1 });
  await f.drain();
  const mapped = await f.database.db.pipeline.findFirstOrThrow({
    where: { repositoryId: { not: null } },
    include: { repository: true },
  });
  repository = mapped.repository?.fullName ?? "";
  await f.database.db.repository.update({ where: { fullName: repository }, data: { githubId: REPOSITORY_ID } });
  const client = new CodePipelineClient({ region: "us-east-1", endpoint: f.sandbox.url, maxAttempts: 1 });
  const names = (await client.send(new ListPipelinesCommand({}))).pipelines?.map((p) => p.name) ?? [];
  expect(names).toContain(mapped.name);
  const model = (await client.send(new GetPipelineCommand({ name: mapped.name }))).pipeline!;
  await client.send(
    new CreatePipelineCommand({
      pipeline: {
        ...model,
        name: "with-secrets",
        version: undefined,
        pipelineType: "V2",
        // No manual approval: the run must finish by itself, since resolved variables are read at the end.
        stages: model.stages?.filter((stage) => !stage.actions?.some((a) => a.actionTypeId?.category === "Approval")),
        variables: [
          { name: "API_TOKEN", defaultValue: DEFAULT_SECRET, description: "smoke-test credential" },
          { name: "NOTES", defaultValue: "none" },
          { name: "TARGET_ENV", defaultValue: "staging" },
        ],
      },
    }),
  );
  executionId =
    (
      await client.send(
        new StartPipelineExecutionCommand({
          name: "with-secrets",
          variables: [
            { name: "API_TOKEN", value: RUN_SECRET },
            { name: "NOTES", value: `rotated ${TOKEN_IN_NOTES}` },
          ],
        }),
      )
    ).pipelineExecutionId ?? "";
  client.destroy();
  await syncOnce({ ...f.options(), forceDiscovery: true });
  await f.drain();
  await f.advance(60 * 60_000, 60_000);
  const stored = await f.database.db.pipeline.findFirstOrThrow({ where: { name: "with-secrets" } });
  pipelineId = stored.id;
}, 120_000);

afterAll(async () => f?.close());

describe("secret-named pipeline variables", () => {
  it("are stored masked: the database never holds the default or the resolved secret", async () => {
    const execution = await f.database.db.execution.findFirstOrThrow({ where: { pipelineId, executionId } });
    expect(execution.variables).toEqual(
      expect.arrayContaining([
        { name: "API_TOKEN", resolvedValue: MASKED },
        { name: "NOTES", resolvedValue: MASKED },
        { name: "TARGET_ENV", resolvedValue: "staging" },
      ]),
    );
    const dump = JSON.stringify(
      await Promise.all([
        f.database.db.pipeline.findMany(),
        f.database.db.pipelineDefinition.findMany(),
        f.database.db.execution.findMany({ where: { pipelineId } }),
        f.database.db.actionExecution.findMany(),
        f.database.db.action.findMany(),
      ]),
    );
    for (const secret of [DEFAULT_SECRET, RUN_SECRET, TOKEN_IN_NOTES]) expect(dump).not.toContain(secret);
  });

  it("reach a repository reader masked on the pipeline page and the execution page", async () => {
    const viewer = reader(repository);
    const pipeline = await getPipelineDetail(viewer, pipelineId, null, { db: f.database.db });
    expect(pipeline?.variables).toEqual([
      { name: "API_TOKEN", defaultValue: MASKED, description: "smoke-test credential" },
      { name: "NOTES", defaultValue: "none", description: null },
      { name: "TARGET_ENV", defaultValue: "staging", description: null },
    ]);
    const execution = await getExecutionDetail(viewer, pipelineId, executionId, { db: f.database.db });
    expect(execution?.variables).toEqual(
      expect.arrayContaining([
        { name: "API_TOKEN", value: MASKED },
        { name: "TARGET_ENV", value: "staging" },
      ]),
    );
    const page = JSON.stringify([pipeline, execution]);
    for (const secret of [DEFAULT_SECRET, RUN_SECRET, TOKEN_IN_NOTES]) expect(page).not.toContain(secret);
  });

  it("stored before masking existed are masked on the way out", async () => {
    await f.database.db.execution.update({
      where: { pipelineId_executionId: { pipelineId, executionId } },
      data: { variables: [{ name: "API_TOKEN", resolvedValue: RUN_SECRET }] },
    });
    await f.database.db.pipeline.update({
      where: { id: pipelineId },
      data: { variables: [{ name: "DB_PASSWORD", defaultValue: DEFAULT_SECRET }] },
    });
    const viewer = reader(repository);
    const execution = await getExecutionDetail(viewer, pipelineId, executionId, { db: f.database.db });
    const pipeline = await getPipelineDetail(viewer, pipelineId, null, { db: f.database.db });
    expect(execution?.variables).toEqual([{ name: "API_TOKEN", value: MASKED }]);
    expect(pipeline?.variables).toEqual([{ name: "DB_PASSWORD", defaultValue: MASKED, description: null }]);
  });
});
