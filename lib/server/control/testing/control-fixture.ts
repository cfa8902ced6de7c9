// Test fixture for approvals and commands: the GitHub stand-in and the CodePipeline sandbox over HTTP, a
// migrated database synced from the sandbox's fleet, people signed in on the stand-in (real tokens, stored
// sealed), and the environment pointing the app's control client at the sandbox. App modules read their
// configuration when first imported, so callers import them (dynamically) after createControlFixture.
import "server-only";
import { randomBytes } from "node:crypto";
import { vi } from "vitest";
import { startGitHubStandIn } from "@/github-stand-in";
import { findFreePort } from "@/lib/server/net/free-port";
import type { Fixture } from "@/lib/server/sync/testing/fixture";
import type { SyncEngineOptions } from "@/lib/server/sync/engine";
import type { Viewer } from "@/lib/server/session";
import { startAppStandIn, stubAppEnv, type TestApp } from "@/lib/server/testing/github-app";
import { createSignedInUser, standInAccountId, standInControl, standInToken } from "@/lib/server/testing/github-user";

export interface ControlFixture {
  f: Fixture;
  standIn: Awaited<ReturnType<typeof startGitHubStandIn>>;
  sync: Partial<SyncEngineOptions>;
  /** User ids by login. */
  users: Record<string, string>;
  signIn(login: string): Promise<string>;
  viewer(login: string): Promise<Viewer>;
  /** Requests the sandbox answered for `operation` so far. */
  awsCalls(operation: string): Promise<number>;
  close(): Promise<void>;
}

export async function createControlFixture(
  options: {
    env?: Record<string, string>;
    pipelines?: number;
    logins?: string[];
    /** Stageboard as this GitHub App, installed as the App's installations say (its environment set too). */
    app?: TestApp;
  } = {},
): Promise<ControlFixture> {
  const started = options.app ? await startAppStandIn(options.app) : null;
  const standIn = started ? started.standIn : await startGitHubStandIn({ port: 0 });
  if (started) stubAppEnv(standIn.url, started.app);
  const port = await findFreePort();
  vi.stubEnv("GITHUB_URL", standIn.url);
  vi.stubEnv("GITHUB_API_URL", `${standIn.url}/api/v3`);
  vi.stubEnv("GITHUB_COM_STAND_IN_URL", standIn.url);
  if (!started) vi.stubEnv("TOKEN_ENCRYPTION_KEY", randomBytes(32).toString("base64"));
  vi.stubEnv("STAGEBOARD_ADMINS", "");
  // Targets make the instance "real", which needs its own secrets.
  vi.stubEnv("NEXTAUTH_SECRET", randomBytes(32).toString("base64"));
  vi.stubEnv(
    "STAGEBOARD_TARGETS",
    JSON.stringify([{ id: "sandbox", region: "us-east-1", endpoint: `http://127.0.0.1:${port}` }]),
  );
  for (const [name, value] of Object.entries(options.env ?? {})) vi.stubEnv(name, value);
  const { createFixture, TEST_SETTINGS } = await import("@/lib/server/sync/testing/fixture");
  const { sealToken } = await import("@/lib/server/auth/adapter");
  const visibility = await import("@/lib/server/auth/visibility");
  const f = await createFixture({ port, pipelines: options.pipelines ?? 4, historyDays: 1, githubUrl: standIn.url });
  const fleet = (await f.control("repositories")) as { repositories: string[] };
  await standInControl(standIn.url, "repositories", { repositories: fleet.repositories });
  const sync = { settings: { ...TEST_SETTINGS, githubUrl: standIn.url, githubComStandInUrl: standIn.url } };
  await f.drain(sync);
  const users: Record<string, string> = {};
  const signIn = async (login: string) => {
    const token = await standInToken(standIn.url, login);
    const githubId = await standInAccountId(standIn.url, login);
    users[login] = await createSignedInUser(f.database.db, { login, githubId, token }, sealToken);
    return users[login];
  };
  for (const login of options.logins ?? ["ada", "grace", "linus"]) await signIn(login);
  return {
    f,
    standIn,
    sync,
    users,
    signIn,
    async viewer(login) {
      const viewer = await visibility.loadViewer(f.database.db, users[login] ?? "");
      if (!viewer) throw new Error(`no viewer for ${login}`);
      return viewer;
    },
    async awsCalls(operation) {
      return (await f.stats()).requests[operation] ?? 0;
    },
    async close() {
      await f.close();
      await standIn.stop();
      vi.unstubAllEnvs();
    },
  };
}

/**
 * A pipeline of its own in the sandbox for approval tests (made through CreatePipeline, so no simulated
 * reviewer answers its approvals and nothing fails by chance): the source stage of `like` (a fleet pipeline
 * of the wanted repository), a build, a manual approval, a deploy. Synced before it returns.
 */
export async function createApprovalPipeline(cf: ControlFixture, name: string, like: string): Promise<string> {
  const sdk = await import("@aws-sdk/client-codepipeline");
  const { controlClientFor } = await import("@/lib/server/aws/control-client");
  const client = await controlClientFor("sandbox");
  const { pipeline } = await client.send(new sdk.GetPipelineCommand({ name: like }));
  if (!pipeline?.stages?.[0]) throw new Error(`no pipeline ${like}`);
  const source = pipeline.stages[0];
  const output = source.actions?.[0]?.outputArtifacts?.[0]?.name ?? "SourceArtifact";
  const build = (actionName: string) => ({
    name: actionName,
    actionTypeId: { category: "Build" as const, owner: "AWS" as const, provider: "CodeBuild", version: "1" },
    configuration: { ProjectName: actionName.toLowerCase() },
    inputArtifacts: [{ name: output }],
  });
  await client.send(
    new sdk.CreatePipelineCommand({
      pipeline: {
        ...pipeline,
        name,
        // Each execution its own approval: a waiting one never holds the next back.
        pipelineType: "V2",
        executionMode: "PARALLEL",
        stages: [
          source,
          { name: "Build", actions: [build("Build")] },
          {
            name: "Approval",
            actions: [
              {
                name: "ManualApproval",
                actionTypeId: { category: "Approval", owner: "AWS", provider: "Manual", version: "1" },
              },
            ],
          },
          { name: "Deploy", actions: [build("Deploy")] },
        ],
      },
    }),
  );
  await cf.f.database.db.target.updateMany({ data: { nextDiscoveryAt: new Date(0) } });
  await cf.f.drain(cf.sync);
  return (await cf.f.database.db.pipeline.findFirstOrThrow({ where: { name } })).id;
}

/**
 * A pending approval of `name` of an execution not in `used` (then added to it): one already waiting, or that of a new
 * execution the sandbox runs until it waits (synced).
 */
export async function nextApproval(cf: ControlFixture, name: string, pipelineId: string, used: Set<string>) {
  const sdk = await import("@aws-sdk/client-codepipeline");
  const { controlClientFor } = await import("@/lib/server/aws/control-client");
  const client = await controlClientFor("sandbox");
  for (let round = 0; round < 60; round++) {
    const approval = await cf.f.database.db.approval.findFirst({
      where: { pipelineId, status: "Pending", executionId: { notIn: [...used] } },
    });
    if (approval?.executionId) {
      used.add(approval.executionId);
      return approval;
    }
    if (round % 20 === 0) await client.send(new sdk.StartPipelineExecutionCommand({ name }));
    await cf.f.advance(60_000, 30_000, cf.sync);
  }
  throw new Error(`no approval came to wait in ${name}`);
}
