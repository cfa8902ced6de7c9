// Throttling, injected server errors, EventBridge-style event delivery, restart from a state file, determinism.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import {
  CreatePipelineCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  ListPipelinesCommand,
  GetPipelineCommand,
} from "@aws-sdk/client-codepipeline";
import { describe, expect, it } from "vitest";
import { build, harness, pipeline } from "./testing/harness";

describe("faults", () => {
  it("throttles per operation with ThrottlingException and counts it", async () => {
    const h = await harness({ pipelines: 3 });
    try {
      await h.control("POST", "/_sandbox/faults", { throttle: { GetPipelineState: 2 } });
      const results = await Promise.allSettled(
        [0, 1, 2, 3].map(() => h.client.send(new GetPipelineStateCommand({ name: "web-app-prod" }))),
      );
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(2);
      const rejected = results.find((r) => r.status === "rejected");
      expect(rejected && rejected.status === "rejected" ? rejected.reason : undefined).toMatchObject({
        name: "ThrottlingException",
        message: "Rate exceeded",
      });
      await h.client.send(new ListPipelinesCommand({}));
      await h.advance(1_000);
      await h.client.send(new GetPipelineStateCommand({ name: "web-app-prod" }));
      const stats = (await h.control("GET", "/_sandbox/stats")) as {
        throttled: number;
        requests: Record<string, number>;
      };
      expect(stats.throttled).toBe(2);
      expect(stats.requests.GetPipelineState).toBe(5);
      await h.control("POST", "/_sandbox/faults", { errorRate: 1 });
      await expect(h.client.send(new ListPipelinesCommand({}))).rejects.toMatchObject({
        name: "InternalFailure",
        $fault: "server",
      });
      await h.control("DELETE", "/_sandbox/faults");
      await expect(h.client.send(new ListPipelinesCommand({}))).resolves.toBeDefined();
    } finally {
      await h.close();
    }
    expect(h.validator.errors()).toEqual([]);
  });
});

describe("events", () => {
  it("posts the three detail-types with the secret header, at least once", async () => {
    const received: { secret: string | undefined; body: unknown }[] = [];
    const receiver = createServer((req, res) => {
      let text = "";
      req.on("data", (c: Buffer) => (text += c.toString()));
      req.on("end", () => {
        received.push({ secret: req.headers["x-stageboard-secret"] as string | undefined, body: JSON.parse(text) });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", () => r()));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
    const h = await harness({
      pipelines: 0,
      events: {
        url,
        headerName: "x-stageboard-secret",
        secret: "s3cr3t",
        batchSize: 10,
        duplicateRate: 0.3,
        flushMs: 20,
      },
    });
    try {
      await h.client.send(
        new CreatePipelineCommand({ pipeline: pipeline("evented", [{ name: "Build", actions: [build("A")] }]) }),
      );
      await h.advance(3_600_000);
      await h.sandbox.stop();
      const events = received.flatMap((r): unknown[] => (Array.isArray(r.body) ? (r.body as unknown[]) : [r.body])) as {
        "detail-type": string;
        detail: Record<string, unknown>;
        id: string;
      }[];
      expect(received.every((r) => r.secret === "s3cr3t")).toBe(true);
      expect(new Set(events.map((e) => e["detail-type"]))).toEqual(
        new Set([
          "CodePipeline Pipeline Execution State Change",
          "CodePipeline Stage Execution State Change",
          "CodePipeline Action Execution State Change",
        ]),
      );
      const pipelineStates = events.filter((e) => e["detail-type"].includes("Pipeline")).map((e) => e.detail.state);
      expect(pipelineStates).toContain("STARTED");
      expect(pipelineStates).toContain("SUCCEEDED");
      const started = events.find((e) => e.detail.state === "STARTED" && e["detail-type"].includes("Pipeline"));
      expect(started?.detail["execution-trigger"]).toMatchObject({ "trigger-type": "CreatePipeline" });
      const ids = events.map((e) => e.id);
      expect(new Set(ids).size).toBeLessThan(ids.length);
    } finally {
      await h.close();
      receiver.close();
    }
  });
});

describe("restart and determinism", () => {
  it("keeps its state across a restart with a state file", async () => {
    const stateFile = path.join(mkdtempSync(path.join(tmpdir(), "sandbox-")), "state.json");
    const a = await harness({ pipelines: 6, stateFile });
    await a.client.send(
      new CreatePipelineCommand({ pipeline: pipeline("kept", [{ name: "Build", actions: [build("A")] }]) }),
    );
    await a.advance(60_000);
    const before = await a.client.send(new ListPipelineExecutionsCommand({ pipelineName: "web-app-prod" }));
    const clockBefore = await a.control("GET", "/_sandbox/clock");
    await a.close();
    const b = await harness({ pipelines: 6, stateFile });
    try {
      expect(await b.control("GET", "/_sandbox/clock")).toEqual(clockBefore);
      const after = await b.client.send(new ListPipelineExecutionsCommand({ pipelineName: "web-app-prod" }));
      expect(after.pipelineExecutionSummaries).toEqual(before.pipelineExecutionSummaries);
      expect((await b.client.send(new GetPipelineCommand({ name: "kept" }))).pipeline?.name).toBe("kept");
    } finally {
      await b.close();
    }
  });

  it("builds the same fleet from the same seed and a different one from another", async () => {
    const read = async (seed: string) => {
      const h = await harness({ pipelines: 40, seed });
      try {
        const truth = await h.control("GET", "/_sandbox/truth?pipeline=payments-service");
        const list = await h.client.send(new ListPipelinesCommand({}));
        return JSON.stringify([truth, list.pipelines]);
      } finally {
        await h.close();
      }
    };
    const one = await read("alpha");
    expect(await read("alpha")).toBe(one);
    expect(await read("beta")).not.toBe(one);
  });
});
