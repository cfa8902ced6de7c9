import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MASKED } from "@/lib/server/secrets/mask";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { maskStoredSecrets } from "./mask-stored";

// Rows as an older Stageboard stored them, secrets included, in the real test database.
const SECRET = "hunter2-plain";
const TOKEN = ["ghp", "_", "Q1w2E3r4T5y6U7i8O9p0A1s2D3f4G5h6J7k8"].join("");

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await db.target.create({ data: { id: "t1", accountId: "111111111111", region: "us-east-1" } });
  const pipeline = await db.pipeline.create({
    data: {
      id: "p1",
      targetId: "t1",
      name: "p1",
      version: 1,
      variables: [
        { name: "API_TOKEN", defaultValue: SECRET },
        { name: "STAGE", defaultValue: "prod" },
      ],
    },
  });
  await db.pipeline.create({ data: { id: "p2", targetId: "t1", name: "p2", version: 1, variables: [] } });
  await db.pipelineDefinition.create({
    data: {
      pipelineId: pipeline.id,
      version: 1,
      definition: { name: "p1", variables: [{ name: "API_TOKEN", defaultValue: SECRET }], notes: TOKEN },
    },
  });
  await db.stage.create({
    data: {
      pipelineId: pipeline.id,
      name: "Build",
      position: 1,
      conditions: { beforeEntry: { rules: [{ configuration: { Token: SECRET, Variable: "ENV" } }] } },
      actions: {
        create: [
          {
            name: "Build",
            category: "Build",
            owner: "AWS",
            provider: "CodeBuild",
            providerVersion: "1",
            runOrder: 1,
            configuration: {
              ProjectName: "app",
              EnvironmentVariables: JSON.stringify([{ name: "NPM_TOKEN", value: SECRET, type: "PLAINTEXT" }]),
            },
          },
        ],
      },
    },
  });
  await db.execution.create({
    data: {
      pipelineId: pipeline.id,
      executionId: "e1",
      status: "Succeeded",
      startTime: new Date(),
      lastUpdateTime: new Date(),
      variables: [
        { name: "API_TOKEN", resolvedValue: SECRET },
        { name: "NOTES", resolvedValue: TOKEN },
        { name: "STAGE", resolvedValue: "prod" },
      ],
      actionExecutions: {
        create: [
          {
            actionExecutionId: "a1",
            stageName: "Build",
            actionName: "Build",
            status: "Succeeded",
            outputVariables: { DEPLOY_PASSWORD: SECRET, BranchName: "main" },
          },
        ],
      },
    },
  });
});

afterAll(async () => database?.drop());

describe("masking what is already stored", () => {
  it("rewrites every row that holds a secret, and only those", async () => {
    const counts = await maskStoredSecrets(database.db, { batchSize: 1 });
    expect(counts).toEqual({
      pipelines: { scanned: 2, masked: 1 },
      definitions: { scanned: 1, masked: 1 },
      stages: { scanned: 1, masked: 1 },
      actions: { scanned: 1, masked: 1 },
      executions: { scanned: 1, masked: 1 },
      actionExecutions: { scanned: 1, masked: 1 },
    });
    const db = database.db;
    const dump = JSON.stringify(
      await Promise.all([
        db.pipeline.findMany(),
        db.pipelineDefinition.findMany(),
        db.stage.findMany(),
        db.action.findMany(),
        db.execution.findMany(),
        db.actionExecution.findMany(),
      ]),
    );
    expect(dump).not.toContain(SECRET);
    expect(dump).not.toContain(TOKEN);
    expect((await db.pipeline.findUniqueOrThrow({ where: { id: "p1" } })).variables).toEqual([
      { name: "API_TOKEN", defaultValue: MASKED },
      { name: "STAGE", defaultValue: "prod" },
    ]);
    expect((await db.execution.findFirstOrThrow()).variables).toEqual([
      { name: "API_TOKEN", resolvedValue: MASKED },
      { name: "NOTES", resolvedValue: MASKED },
      { name: "STAGE", resolvedValue: "prod" },
    ]);
    expect((await db.actionExecution.findFirstOrThrow()).outputVariables).toEqual({
      DEPLOY_PASSWORD: MASKED,
      BranchName: "main",
    });
  });

  it("is safe to re-run: a second run rewrites nothing", async () => {
    const counts = await maskStoredSecrets(database.db);
    for (const table of Object.values(counts)) expect(table.masked).toBe(0);
    expect(counts.pipelines.scanned).toBe(2);
  });

  it("runs as a command and prints what it rewrote per table", async () => {
    await database.db.execution.update({
      where: { pipelineId_executionId: { pipelineId: "p1", executionId: "e1" } },
      data: { variables: [{ name: "DB_PASSWORD", resolvedValue: SECRET }] },
    });
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions=react-server", "--import", "tsx", "scripts/db/mask-stored-secrets.ts"],
      {
        env: {
          PATH: process.env.PATH ?? "",
          HOME: process.env.HOME ?? "",
          NODE_ENV: "production",
          DATABASE_URL: database.url,
          NEXTAUTH_SECRET: randomBytes(32).toString("base64"),
          TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
          LOG_LEVEL: "silent",
        },
        timeout: 60_000,
      },
    );
    expect(stdout).toContain("executions: 1 of 1 row(s) masked");
    expect(stdout).toContain("pipelines: 0 of 2 row(s) masked");
    expect(JSON.stringify((await database.db.execution.findFirstOrThrow()).variables)).not.toContain(SECRET);
  });
});
