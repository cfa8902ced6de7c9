import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { startSandbox, type Sandbox } from "@/sandbox";
import { resetCodePipelineClients } from "@/lib/server/aws/codepipeline-client";
import { createTargetRuntime } from "./target-runtime";
import { TEST_SETTINGS } from "../testing/fixture";

describe("target runtime", () => {
  let sandbox: Sandbox;
  beforeAll(async () => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
    sandbox = await startSandbox({ port: 0, clock: "manual", pipelines: 2, historyDays: 1, seed: "runtime" });
  });
  afterAll(async () => {
    resetCodePipelineClients();
    await sandbox?.stop();
  });

  it("lists connections at the endpoint it is given, apart from a CodePipeline-only endpoint", async () => {
    const together = createTargetRuntime({ id: "together", region: "us-east-1", endpoint: sandbox.url }, TEST_SETTINGS);
    expect((await together.connections.listConnections(null)).items.length).toBeGreaterThan(0);
    // Nothing listens on port 9: the connections calls go there, the CodePipeline calls still reach the sandbox.
    const apart = createTargetRuntime(
      { id: "apart", region: "us-east-1", endpoint: sandbox.url, connectionsEndpoint: "http://127.0.0.1:9" },
      TEST_SETTINGS,
    );
    expect((await apart.api.listPipelines(null)).items.length).toBe(2);
    await expect(apart.connections.listConnections(null)).rejects.toThrow();
  });
});
