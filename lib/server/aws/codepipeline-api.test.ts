import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CodePipelineClient } from "@aws-sdk/client-codepipeline";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { RequestBudget } from "./rate-limiter";
import { createCodePipelineApi } from "./codepipeline-api";

const budget: RequestBudget = { take: async () => {}, onSuccess: () => {}, onThrottle: () => {} };

/** A CodePipeline endpoint that drops the connection of the first `drops` requests, then answers. */
async function flakyEndpoint(drops: number): Promise<{ server: Server; url: string; requests: () => number }> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    if (requests <= drops) {
      req.socket.destroy();
      return;
    }
    res.writeHead(200, { "content-type": "application/x-amz-json-1.1" });
    res.end(JSON.stringify({ pipelineName: "web", pipelineVersion: 1, stageStates: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe("CodePipeline reads", () => {
  let server: Server | undefined;
  afterEach(() => {
    server?.close();
    vi.unstubAllEnvs();
  });

  const apiFor = (url: string) => {
    vi.stubEnv("AWS_ACCESS_KEY_ID", "AKIDTEST");
    vi.stubEnv("AWS_SECRET_ACCESS_KEY", "secret");
    return createCodePipelineApi(
      new CodePipelineClient({ region: "us-east-1", endpoint: url, maxAttempts: 1 }),
      budget,
    );
  };

  it("retries a read once when the connection drops under it", async () => {
    const endpoint = await flakyEndpoint(1);
    server = endpoint.server;
    const state = await apiFor(endpoint.url).getPipelineState("web");
    expect(state.snapshot.pipelineVersion).toBe(1);
    expect(endpoint.requests()).toBe(2);
  });

  it("gives up after the second drop, as a transient error", async () => {
    const endpoint = await flakyEndpoint(5);
    server = endpoint.server;
    await expect(apiFor(endpoint.url).getPipelineState("web")).rejects.toMatchObject({
      kind: "transient",
      operation: "GetPipelineState",
    });
    expect(endpoint.requests()).toBe(2);
  });
});
