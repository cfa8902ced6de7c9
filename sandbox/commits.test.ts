// The commits behind the fleet's source revisions (what the GitHub stand-in serves), and the demo's waiting approvals.
import {
  GetPipelineCommand,
  GetPipelineExecutionCommand,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  StartPipelineExecutionCommand,
} from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { harness, type Harness } from "./testing/harness";

interface CommitJson {
  sha: string;
  parents: string[];
  message: string;
  author: { name: string; email: string; date: string };
  pipeline: string;
  branch: string;
}

let h: Harness;
beforeAll(async () => {
  h = await harness();
});
afterAll(async () => {
  await h.close();
  expect(h.validator.errors()).toEqual([]);
});

async function commits(repository: string, ref: string, limit = 1) {
  const res = await fetch(
    `${h.sandbox.url}/_sandbox/commits?${new URLSearchParams({ repository, ref, limit: String(limit) })}`,
  );
  return { status: res.status, body: (await res.json()) as { commits: CommitJson[]; error?: string } };
}

async function waitingExecution(name: string) {
  const state = await h.client.send(new GetPipelineStateCommand({ name }));
  const approval = state.stageStates?.find((s) => s.stageName === "Approval");
  expect(approval?.latestExecution?.status).toBe("InProgress");
  const id = approval?.latestExecution?.pipelineExecutionId ?? "";
  const { pipelineExecution } = await h.client.send(
    new GetPipelineExecutionCommand({ pipelineName: name, pipelineExecutionId: id }),
  );
  return pipelineExecution;
}

describe("commits", () => {
  it("answer each execution's revision with its author, and chain back to the commit delivered before", async () => {
    const { pipelineExecutionSummaries: runs = [] } = await h.client.send(
      new ListPipelineExecutionsCommand({ pipelineName: "web-app-prod", maxResults: 100 }),
    );
    const old = runs.filter((r) => r.status === "Succeeded").slice(-2);
    const [newer, older] = old.map((r) => r.sourceRevisions?.[0]?.revisionId ?? "");
    const log = await commits("acme/web-app", newer ?? "", 10);
    expect(log.status).toBe(200);
    const shas = log.body.commits.map((c) => c.sha);
    expect(shas[0]).toBe(newer);
    // Up to two commits no execution delivered sit between two delivered ones, each the parent of the next.
    const at = shas.indexOf(older ?? "");
    expect(at).toBeGreaterThanOrEqual(1);
    expect(at).toBeLessThanOrEqual(3);
    for (let k = 0; k + 1 < log.body.commits.length; k++)
      expect(log.body.commits[k]?.parents).toEqual([log.body.commits[k + 1]?.sha]);
    // Delivered commits of web-app-prod are linus's; the others are by its other authors, never ada.
    expect(log.body.commits[0]).toMatchObject({
      author: { name: "Linus Torvalds", email: "linus@example.com" },
      pipeline: "web-app-prod",
      branch: "main",
    });
    expect(log.body.commits.map((c) => c.author.email)).not.toContain("ada@example.com");
    const summary = JSON.parse(old[0]?.sourceRevisions?.[0]?.revisionSummary ?? "{}") as { CommitMessage?: string };
    expect(log.body.commits[0]?.message).toBe(summary.CommitMessage);
    expect(Date.parse(log.body.commits[0]?.author.date ?? "")).toBeGreaterThan(0);
  });

  it("answer a branch with its newest commit, and refuse unknown commits and bad limits", async () => {
    const tip = await commits("acme/api", "main");
    const { pipelineExecutionSummaries: [newest] = [] } = await h.client.send(
      new ListPipelineExecutionsCommand({ pipelineName: "api-prod", maxResults: 1 }),
    );
    expect(tip.body.commits[0]?.sha).toBe(newest?.sourceRevisions?.[0]?.revisionId);
    expect(tip.body.commits[0]?.author.email).toBe("ada@example.com");
    // The approval waiting on api-prod releases ada's own commit.
    const waiting = await waitingExecution("api-prod");
    const delivered = await commits("acme/api", waiting?.artifactRevisions?.[0]?.revisionId ?? "");
    expect(delivered.body.commits[0]?.author.name).toBe("Ada Lovelace");
    expect((await commits("acme/api", "0".repeat(40))).status).toBe(404);
    expect((await commits("acme/api", "main", 301)).status).toBe(400);
    expect((await commits("acme/nope", "main")).status).toBe(404);
  });

  it("come from pushes with the author and message asked for, and a chosen commit is released as it was", async () => {
    const before = (await commits("globex/storefront", "main")).body.commits[0]?.sha;
    const { started } = (await h.control("POST", "/_sandbox/activity", {
      pipelines: ["storefront-prod"],
      author: { name: "Grace Hopper", email: "grace@example.com" },
      message: "Fix the cart total",
    })) as { started: { pipelineExecutionId: string }[] };
    const { pipelineExecution } = await h.client.send(
      new GetPipelineExecutionCommand({
        pipelineName: "storefront-prod",
        pipelineExecutionId: started[0]?.pipelineExecutionId ?? "",
      }),
    );
    const sha = pipelineExecution?.artifactRevisions?.[0]?.revisionId ?? "";
    const log = (await commits("globex/storefront", sha, 4)).body.commits;
    expect(log[0]).toMatchObject({ sha, message: "Fix the cart total", author: { email: "grace@example.com" } });
    expect(log.map((c) => c.sha)).toContain(before);
    // Releasing an older commit by its id builds that commit, with its own message.
    const older = log[log.length - 1];
    const { pipelineExecutionId } = await h.client.send(
      new StartPipelineExecutionCommand({
        name: "storefront-prod",
        sourceRevisions: [{ actionName: "Source", revisionType: "COMMIT_ID", revisionValue: older?.sha ?? "" }],
      }),
    );
    const released = await h.client.send(
      new GetPipelineExecutionCommand({ pipelineName: "storefront-prod", pipelineExecutionId }),
    );
    const revision = released.pipelineExecution?.artifactRevisions?.[0];
    expect(revision?.revisionId).toBe(older?.sha);
    expect(JSON.parse(revision?.revisionSummary ?? "{}")).toMatchObject({ CommitMessage: older?.message });
  });
});

describe("demo approvals", () => {
  it("wait for people on three repositories, with the timeouts their declarations give", async () => {
    for (const name of ["web-app-prod", "api-prod", "storefront-prod"]) await waitingExecution(name);
    const { pipeline } = await h.client.send(new GetPipelineCommand({ name: "api-prod" }));
    const approval = pipeline?.stages?.find((s) => s.name === "Approval")?.actions?.[0];
    expect(approval?.timeoutInMinutes).toBe(1440);
    expect(approval?.configuration?.ExternalEntityLink).toBe("https://api-prod.staging.example.com/");
  });
});
