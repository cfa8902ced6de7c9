import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WRITEBACK_PERMISSIONS } from "@/lib/server/testing/github-app";
import { standInAccountId, standInControl } from "@/lib/server/testing/github-user";
import {
  createApprovalPipeline,
  createControlFixture,
  nextApproval,
  type ControlFixture,
} from "@/lib/server/control/testing/control-fixture";
import type * as Receive from "./receive";
import type * as Deliveries from "./process-deliveries";
import type * as Clicks from "./requested-actions";
import type * as Enqueue from "@/lib/server/writeback/enqueue";
import type * as Loop from "@/lib/server/writeback/writeback-loop";

// Required teams for clicks on GitHub, end to end as requested-actions.test.ts does it: a policy that names the teams
// who may approve holds a click on the approval's run to the same rule as the dashboard, the clicker's membership
// read fresh through the App's installation (GitHub's organization permission `members: read`). A clicker outside
// the team is refused before AWS, and the run says why; a member's click approves.
const APP_ID = 330026;
const BASE = "https://stageboard.example.com";
const SECRET = "test-webhook-secret";
const PIPELINE = "web-app-team-clicks";
const quiet = { warn: () => {}, error: () => {}, info: () => {} };

let cf: ControlFixture;
let receive: typeof Receive;
let deliveries: typeof Deliveries;
let clicks: typeof Clicks;
let enqueue: typeof Enqueue;
let loop: typeof Loop;
let pipelineId = "";
const used = new Set<string>();

type StandInRun = {
  id: number;
  sha: string;
  name: string;
  appId: number;
  externalId: string | null;
  status: string;
  conclusion: string | null;
  output: { title: string; summary: string; text?: string };
  actions: { label: string; description: string; identifier: string }[];
};

const db = () => cf.f.database.db;
/** A summary as GitHub shows it: Markdown's escapes undone. */
const plain = (summary: string | undefined) => (summary ?? "").replace(/\\(.)/g, "$1");

beforeAll(async () => {
  cf = await createControlFixture({
    pipelines: 4,
    logins: ["ada"],
    app: {
      id: APP_ID,
      name: "Stageboard (team clicks test)",
      slug: "stageboard-team-clicks-test",
      permissions: { ...WRITEBACK_PERMISSIONS, members: "read" },
      installations: [{ id: 530026, account: "acme" }],
    },
  });
  // grace writes acme/web-app too, for two approvals.
  await standInControl(cf.standIn.url, "grants", { login: "grace", repository: "acme/web-app", permission: "write" });
  receive = await import("./receive");
  deliveries = await import("./process-deliveries");
  clicks = await import("./requested-actions");
  enqueue = await import("@/lib/server/writeback/enqueue");
  loop = await import("@/lib/server/writeback/writeback-loop");
  pipelineId = await createApprovalPipeline(cf, PIPELINE, "web-app-staging");
  // A first look by a signed-in person pins the repositories' ids, which the stored policy is keyed by.
  await cf.viewer("ada");
}, 120_000);
afterAll(async () => cf?.close());

/** The execution's reports mapped as stored now and sent to the stand-in. */
async function report(executionId: string) {
  await db().$transaction((tx) => enqueue.enqueueExecutions(tx, [{ pipelineId, executionId }], { baseUrl: BASE }));
  await loop.writebackOnce({ db: db(), logger: quiet, baseUrl: BASE, appConfigured: () => Promise.resolve(true) });
}

const runsOf = async (executionId: string) =>
  (await standInControl<StandInRun[]>(cf.standIn.url, "checks"))
    .filter((r) => r.externalId === executionId)
    .sort((a, b) => a.id - b.id);
const approvalRun = async (executionId: string) => {
  const run = (await runsOf(executionId)).find((r) => r.name.startsWith("Approval · "));
  if (!run) throw new Error(`no approval run for ${executionId}`);
  return run;
};

/** A new execution's pending approval whose change is authored by `authors` (account ids), reported on GitHub. */
async function waitingApproval(authors: (bigint | null)[] = [null]) {
  const approval = await nextApproval(cf, PIPELINE, pipelineId, used);
  const executionId = approval.executionId ?? "";
  await db().executionCommits.create({
    data: {
      pipelineId,
      executionId,
      stageName: approval.stageName,
      commits: {
        v: 1,
        commits: authors.map((id, i) => ({
          sha: `abc${i}234aaaa`,
          message: "change",
          url: null,
          authorLogin: null,
          authorName: "someone",
          authorGithubId: id?.toString() ?? null,
        })),
      },
    },
  });
  await report(executionId);
  return { approval, executionId, run: await approvalRun(executionId) };
}

const sign = (body: string) => `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`;

/** A `check_run` delivery as GitHub sends it, posted to Stageboard's receiver. */
async function deliver(
  run: StandInRun,
  login: string,
  options: { action?: string; identifier?: string; appId?: number; deliveryId?: string } = {},
) {
  const action = options.action ?? "requested_action";
  const body = JSON.stringify({
    action,
    check_run: {
      id: run.id,
      name: run.name,
      head_sha: run.sha,
      external_id: run.externalId,
      status: run.status,
      conclusion: run.conclusion,
      app: { id: options.appId ?? run.appId },
    },
    ...(action === "requested_action" ? { requested_action: { identifier: options.identifier ?? "approve" } } : {}),
    repository: { full_name: "acme/web-app" },
    installation: { id: 530026 },
    sender: { id: await standInAccountId(cf.standIn.url, login), login },
  });
  const deliveryId = options.deliveryId ?? randomUUID();
  const headers = new Headers({
    "content-type": "application/json",
    "x-github-event": "check_run",
    "x-github-delivery": deliveryId,
    "x-hub-signature-256": sign(body),
  });
  const answer = await receive.receiveWebhook({ db: db(), logger: quiet, secret: SECRET, headers, body });
  return { answer, deliveryId };
}

/** What the processes do after the delivery is stored: the delivery's transaction, then the click. */
async function processAll() {
  await deliveries.processDeliveries({ db: db(), logger: quiet });
  await clicks.processClicks({ db: db(), logger: quiet, baseUrl: BASE });
}

async function clickAndReport(run: StandInRun, login: string, identifier = "approve") {
  const sent = await deliver(run, login, { identifier });
  expect(sent.answer.status).toBe(202);
  await processAll();
  await report(run.externalId ?? "");
  return sent;
}

const puts = () => cf.awsCalls("PutApprovalResult");

/** The approval policy of this pipeline: approving needs a member of one of `requiredTeams`. */
async function requireTeams(requiredTeams: string[]) {
  const repository = await db().repository.findFirstOrThrow({ where: { fullName: "acme/web-app" } });
  const key = { repositoryGithubId: repository.githubId ?? 0n, pipelineId, stageName: "" };
  await db().policyOverride.deleteMany({ where: key });
  await db().policyOverride.create({
    data: { ...key, settings: { v: 1, override: { approvals: { requiredTeams } } }, updatedByLogin: "ada" },
  });
}

describe("required teams for clicks on GitHub", () => {
  it("refuses grace, who writes but is not in acme/platform, before AWS, and the run names the team", async () => {
    await requireTeams(["acme/platform"]);
    const { approval, executionId, run } = await waitingApproval();
    const before = await puts();
    await clickAndReport(run, "grace");
    expect(await puts()).toBe(before);
    expect((await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).status).toBe("Pending");
    const after = await approvalRun(executionId);
    expect(after.conclusion).toBe("action_required");
    expect(after.actions).toHaveLength(2);
    expect(plain(after.output.summary)).toContain("@grace needs a member of acme/platform");
  });

  it("accepts ada's click, a member of acme/platform: the approval goes to AWS with her name", async () => {
    await requireTeams(["acme/platform"]);
    const { approval, executionId, run } = await waitingApproval();
    const before = await puts();
    await clickAndReport(run, "ada");
    expect(await puts()).toBe(before + 1);
    expect(await db().approval.findUniqueOrThrow({ where: { id: approval.id } })).toMatchObject({
      status: "Approved",
      decidedBy: "ada",
    });
    expect(plain((await approvalRun(executionId)).output.summary)).toContain("Approved on GitHub by @ada");
  });

  it("with several teams named, refuses a clicker in none of them and accepts a member of one", async () => {
    await requireTeams(["acme/release", "acme/platform"]);
    const { executionId, run } = await waitingApproval();
    await clickAndReport(run, "grace");
    expect(plain((await approvalRun(executionId)).output.summary)).toContain(
      "@grace needs a member of one of acme/release, acme/platform",
    );
    const before = await puts();
    await clickAndReport(run, "ada");
    expect(await puts()).toBe(before + 1);
  });
});
