import { GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { CommandOutcome, PipelineRights } from "@/lib/control/contract";
import type { Db } from "@/lib/server/db/client";
import type * as DbModule from "@/lib/server/db/client";
import type { Viewer } from "@/lib/server/session";
import type * as StoreModule from "@/lib/server/rate-limit/store";
import { createControlFixture, type ControlFixture } from "../testing/control-fixture";

// The two routes as Next calls them, against the real parts: the GitHub stand-in asked for each person's
// permission with their own token, the sandbox reached through the command client, the audit log in
// Postgres. The viewer is stubbed (there is no cookie store outside a request) and the app's database
// client is the fixture's. ada administers acme/*, linus reads acme/web-app, grace reaches nothing of acme.
const state = vi.hoisted(() => ({ viewer: null as Viewer | null, db: null as Db | null }));
vi.mock("@/lib/server/session", () => ({ getViewer: () => Promise.resolve(state.viewer) }));
vi.mock("@/lib/server/db/client", async (importOriginal) => {
  const original = await importOriginal<typeof DbModule>();
  return {
    ...original,
    get db() {
      return state.db ?? original.db;
    },
  };
});
vi.mock("@/lib/server/rate-limit/store", async (importOriginal) => ({
  ...(await importOriginal<typeof StoreModule>()),
  appRateLimits: () => ({ consume: () => Promise.resolve({ kind: "allowed" }) }),
}));

type Handler = (request: Request, context: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

let cf: ControlFixture;
let commandsRoute: { POST: Handler };
let rightsRoute: { GET: Handler };
const ids: Record<string, string> = {};

beforeAll(async () => {
  cf = await createControlFixture();
  state.db = cf.f.database.db;
  commandsRoute = await import("@/app/api/pipelines/[id]/commands/route");
  rightsRoute = await import("@/app/api/pipelines/[id]/rights/route");
  for (const p of await cf.f.database.db.pipeline.findMany({ select: { id: true, name: true } })) ids[p.name] = p.id;
});
afterAll(async () => cf?.close());

const ORIGIN = "http://localhost:3000";

async function post(login: string, pipeline: string, body: unknown, headers: Record<string, string> = {}) {
  state.viewer = await cf.viewer(login);
  const id = ids[pipeline] ?? pipeline;
  const request = new Request(`${ORIGIN}/api/pipelines/${id}/commands`, {
    method: "POST",
    headers: {
      origin: ORIGIN,
      "content-type": "application/json",
      "x-request-id": `req-${login}-${Math.random()}`,
      ...headers,
    },
    body: JSON.stringify(body),
  });
  const response = await commandsRoute.POST(request, { params: Promise.resolve({ id }) });
  return {
    status: response.status,
    json: (await response.json()) as { data?: CommandOutcome; error?: { code: string; message: string } },
  };
}

async function rights(login: string, pipeline: string) {
  state.viewer = await cf.viewer(login);
  const id = ids[pipeline] ?? pipeline;
  const response = await rightsRoute.GET(new Request(`${ORIGIN}/api/pipelines/${id}/rights`), {
    params: Promise.resolve({ id }),
  });
  return { status: response.status, json: (await response.json()) as { data?: PipelineRights; error?: unknown } };
}

const inboundOf = async (pipeline: string, stage: string) => {
  const client = await (await import("@/lib/server/aws/control-client")).controlClientFor("sandbox");
  const state = await client.send(new GetPipelineStateCommand({ name: pipeline }));
  return state.stageStates?.find((s) => s.stageName === stage)?.inboundTransitionState;
};

const grant = (login: string, repository: string, permission: string) =>
  fetch(`${cf.standIn.url}/_stand-in/grants`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ login, repository, permission }),
  });

describe("POST /api/pipelines/[id]/commands", () => {
  it("disables a transition for a maintainer: AWS gets a reason that fits, the audit log keeps the person's words", async () => {
    const { status, json } = await post("ada", "web-app-staging", {
      kind: "disable-transition",
      stageName: "Deploy",
      reason: "Freeze: see #12, don't ship",
    });
    expect(status).toBe(200);
    expect(json.data).toMatchObject({
      result: "sent",
      message: "Executions no longer enter Deploy: its transition is disabled.",
    });
    expect(json.data?.awsRequestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await inboundOf("web-app-staging", "Deploy")).toMatchObject({
      enabled: false,
      disabledReason: "Freeze see 12 dont ship (by @ada via Stageboard)",
    });
    const rows = await cf.f.database.db.auditEntry.findMany({
      where: { pipelineId: ids["web-app-staging"], action: "disable-transition" },
      orderBy: { id: "asc" },
    });
    expect(rows.map((r) => [r.entry, r.outcome, r.actorLogin, r.stageName, r.comment])).toEqual([
      ["attempt", "attempted", "ada", "Deploy", "Freeze: see #12, don't ship"],
      ["outcome", "succeeded", "ada", "Deploy", "Freeze: see #12, don't ship"],
    ]);
    expect(rows[1]?.awsRequestId).toBe(json.data?.awsRequestId);
    expect(rows[0]?.parameters).toEqual({ kind: "disable-transition", stageName: "Deploy" });

    const enabled = await post("ada", "web-app-staging", { kind: "enable-transition", stageName: "Deploy" });
    expect(enabled.status).toBe(200);
    expect((await inboundOf("web-app-staging", "Deploy"))?.enabled).toBe(true);
  });

  it("refuses a reader with the reason in words, and sends nothing", async () => {
    const before = await cf.awsCalls("StartPipelineExecution");
    const { status, json } = await post("linus", "web-app-staging", { kind: "start-execution" });
    expect(status).toBe(403);
    expect(json.error).toEqual({ code: "forbidden", message: "needs write on acme/web-app; you have read" });
    expect(await cf.awsCalls("StartPipelineExecution")).toBe(before);
  });

  it("starts an execution for a writer and records who started it", async () => {
    const { status, json } = await post("ada", "web-app-staging", {
      kind: "start-execution",
      variables: [{ name: "DEPLOY_ENV", value: "canary" }],
    });
    expect(status).toBe(200);
    const short = /execution ([0-9a-f]{8})/.exec(json.data?.message ?? "")?.[1] ?? "none";
    const starter = await cf.f.database.db.executionStarter.findFirstOrThrow({
      where: { pipelineId: ids["web-app-staging"], executionId: { startsWith: short } },
    });
    expect(starter).toMatchObject({ login: "ada" });
  });

  it("answers AWS's refusal as a sentence, audited as failed", async () => {
    const { status, json } = await post("ada", "web-app-staging", {
      kind: "retry-stage",
      stageName: "Build",
      executionId: "00000000-0000-4000-8000-000000000000",
      retryMode: "FAILED_ACTIONS",
    });
    expect([404, 409]).toContain(status);
    expect(json.error?.message).not.toMatch(/Exception|AKID|secret/);
    const [failed] = await cf.f.database.db.auditEntry.findMany({
      where: { pipelineId: ids["web-app-staging"], action: "retry-stage", entry: "outcome" },
    });
    expect(failed).toMatchObject({ outcome: "failed", error: json.error?.message });
  });

  it("validates the body (422), refuses another origin (403), hides pipelines the viewer cannot see (404)", async () => {
    expect((await post("ada", "web-app-staging", { kind: "disable-transition", stageName: "Deploy" })).status).toBe(
      422,
    );
    expect((await post("ada", "web-app-staging", { kind: "delete-pipeline" })).status).toBe(422);
    const cross = await post(
      "ada",
      "web-app-staging",
      { kind: "enable-transition", stageName: "Deploy" },
      { origin: "https://evil.example" },
    );
    expect(cross.status).toBe(403);
    expect((await post("grace", "web-app-staging", { kind: "enable-transition", stageName: "Deploy" })).status).toBe(
      404,
    );
  });
});

describe("GET /api/pipelines/[id]/rights", () => {
  it("says what each command needs, for the viewer, from the cached permission", async () => {
    const ada = await rights("ada", "web-app-staging");
    expect(ada.status).toBe(200);
    expect(ada.json.data?.readOnlyInstance).toBe(false);
    expect(Object.values(ada.json.data?.commands ?? {}).every((r) => r.allowed)).toBe(true);
    const linus = await rights("linus", "web-app-staging");
    expect(linus.json.data?.commands).toMatchObject({
      "retry-stage": { allowed: false, reason: "needs write on acme/web-app; you have read" },
      "disable-transition": { allowed: false, reason: "needs maintain on acme/web-app; you have read" },
      "override-condition": { allowed: false, reason: "needs admin on acme/web-app; you have read" },
    });
    expect((await rights("grace", "web-app-staging")).status).toBe(404);
  });

  it("offers a V1 pipeline no rollback or condition override, whatever the permission", async () => {
    const v1 = await cf.f.database.db.pipeline.findFirstOrThrow({
      where: { pipelineType: "V1", repositoryId: { not: null } },
    });
    ids[v1.name] = v1.id;
    await grant("ada", "acme/api", "admin");
    const { json } = await rights("ada", v1.name);
    expect(json.data?.commands["rollback-stage"]).toEqual({
      allowed: false,
      reason: "only V2 pipelines have this command",
    });
    expect(json.data?.commands["override-condition"]).toEqual({
      allowed: false,
      reason: "only V2 pipelines have this command",
    });
    expect(json.data?.commands["retry-stage"]).toEqual({ allowed: true });
  });

  it("offers nothing on a pipeline AWS no longer has, or in an account this instance cannot reach", async () => {
    const db = cf.f.database.db;
    const staging = await db.pipeline.findUniqueOrThrow({ where: { id: ids["web-app-staging"] } });
    await db.target.create({ data: { id: "elsewhere", accountId: "999988887777", region: "eu-west-1" } });
    const cases = [
      { targetId: "elsewhere", name: "unreachable", deletedAt: null, reason: /no AWS access configured/ },
      { targetId: "sandbox", name: "gone", deletedAt: new Date(), reason: /no longer exists in AWS/ },
    ];
    for (const c of cases) {
      const row = await db.pipeline.create({
        data: {
          targetId: c.targetId,
          name: c.name,
          version: 1,
          pipelineType: "V2",
          repositoryId: staging.repositoryId,
          deletedAt: c.deletedAt,
        },
      });
      ids[c.name] = row.id;
      const { json } = await rights("ada", c.name);
      const commands = Object.values(json.data?.commands ?? {});
      expect(commands).toHaveLength(7);
      for (const right of commands) {
        expect(right.allowed).toBe(false);
        if (!right.allowed) expect(right.reason).toMatch(c.reason);
      }
    }
  });

  it("on a read-only instance: every command refused with the reason, and the command route answers 403", async () => {
    vi.stubEnv("STAGEBOARD_READ_ONLY", "true");
    vi.resetModules();
    const readOnlyRights = (await import("@/app/api/pipelines/[id]/rights/route")) as { GET: Handler };
    const readOnlyCommands = (await import("@/app/api/pipelines/[id]/commands/route")) as { POST: Handler };
    try {
      state.viewer = await cf.viewer("ada");
      const id = ids["web-app-staging"] ?? "";
      const response = await readOnlyRights.GET(new Request(`${ORIGIN}/api/pipelines/${id}/rights`), {
        params: Promise.resolve({ id }),
      });
      const { data } = (await response.json()) as { data: PipelineRights };
      expect(data.readOnlyInstance).toBe(true);
      for (const right of Object.values(data.commands))
        expect(right).toEqual({ allowed: false, reason: "this Stageboard instance is read-only" });
      const before = await cf.awsCalls("EnableStageTransition");
      const refused = await readOnlyCommands.POST(
        new Request(`${ORIGIN}/api/pipelines/${id}/commands`, {
          method: "POST",
          headers: { origin: ORIGIN, "content-type": "application/json" },
          body: JSON.stringify({ kind: "enable-transition", stageName: "Deploy" }),
        }),
        { params: Promise.resolve({ id }) },
      );
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { message: string } }).error.message).toBe(
        "this Stageboard instance is read-only",
      );
      expect(await cf.awsCalls("EnableStageTransition")).toBe(before);
    } finally {
      vi.stubEnv("STAGEBOARD_READ_ONLY", "false");
    }
  });

  it("gives a stage with its own policy its own rights", async () => {
    const repository = await cf.f.database.db.repository.findFirstOrThrow({
      where: { pipelines: { some: { id: ids["web-app-staging"] } } },
    });
    await cf.f.database.db.policyOverride.create({
      data: {
        repositoryGithubId: repository.githubId ?? 0n,
        pipelineId: ids["web-app-staging"] ?? "",
        stageName: "Deploy",
        settings: { v: 1, override: { commands: { "disable-transition": "read" } } },
        updatedByLogin: "ada",
      },
    });
    const { json } = await rights("linus", "web-app-staging");
    expect(json.data?.commands["disable-transition"]).toMatchObject({ allowed: false });
    expect(json.data?.stages?.Deploy?.["disable-transition"]).toEqual({ allowed: true });
    expect(json.data?.stages?.Deploy?.["retry-stage"]).toMatchObject({ allowed: false });
  });
});
