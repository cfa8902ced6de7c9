import { createServer } from "node:http";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { App } from "@octokit/app";
import { createAppAuth } from "@octokit/auth-app";
import { createNodeMiddleware } from "@octokit/webhooks";
import { Octokit } from "@octokit/rest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AppCredentials, RunningGitHubStandIn } from "../index";
import { startGitHubStandIn } from "../index";

// GitHub's own clients on both ends: @octokit/webhooks' Node middleware receives the deliveries for an @octokit/app
// App (it verifies each signature and refuses what it cannot), and the App's Octokit reads the delivery log and asks
// for a redelivery, as Stageboard's catch-up does.

const SECRET = "independent-receiver-secret";
const SILENT = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

let standIn: RunningGitHubStandIn;
let credentials: AppCredentials;
let app: App;
/** The App itself (JWT), as @octokit/rest with @octokit/auth-app: what paginates the log. */
let asApp: Octokit;
let handle: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => res.end();
const server = createServer((req, res) => handle(req, res));
const pushes: { id: string; after: string; installation: number | undefined }[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  standIn = await startGitHubStandIn({
    apps: [
      {
        name: "Independent Receiver",
        owner: "acme",
        webhookSecret: SECRET,
        webhookUrl: `http://127.0.0.1:${port}/api/github/webhooks`,
        permissions: { contents: "read", checks: "write" },
        events: ["push", "check_suite"],
        installations: [{ account: "acme" }],
      },
    ],
  });
  [credentials] = standIn.apps as [AppCredentials];
  app = new App({
    appId: credentials.id,
    privateKey: credentials.privateKey,
    webhooks: { secret: SECRET },
    Octokit: Octokit.defaults({ baseUrl: `${standIn.url}/api/v3` }),
    log: SILENT,
  });
  asApp = new Octokit({
    baseUrl: `${standIn.url}/api/v3`,
    authStrategy: createAppAuth,
    auth: { appId: credentials.id, privateKey: credentials.privateKey },
    log: SILENT,
  });
  app.webhooks.on("push", ({ id, payload }) => {
    pushes.push({ id, after: payload.after, installation: payload.installation?.id });
  });
  const middleware = createNodeMiddleware(app.webhooks, { path: "/api/github/webhooks", log: SILENT });
  handle = (req, res) => void middleware(req, res);
});
afterAll(async () => {
  await standIn.stop();
  await new Promise((resolve) => server.close(resolve));
});

async function until<T>(read: () => T | undefined): Promise<T> {
  for (let i = 0; i < 500; i++) {
    const value = read();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("gave up waiting");
}

describe("@octokit/app against the stand-in's webhooks", () => {
  it("receives a push, pages the delivery log and redelivers with the same id", async () => {
    const added = await fetch(`${standIn.url}/_stand-in/commits`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        repository: "acme/api",
        commits: [{ message: "fix", author: { name: "Ada Lovelace", email: "ada@example.com" } }],
      }),
    });
    const { commits } = (await added.json()) as { commits: string[] };
    const push = await until(() => pushes[0]);
    expect(push).toMatchObject({ after: commits[0], installation: credentials.installations[0]?.id });

    // Two deliveries (push, check_suite requested), read one per page through the Link header's cursor.
    let deliveries: { id: number; guid: string; event: string; status_code: number; redelivery: boolean }[] = [];
    for (let i = 0; i < 500 && deliveries.length < 2; i++) {
      deliveries = await asApp.paginate("GET /app/hook/deliveries", { per_page: 1 });
      if (deliveries.length < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(deliveries.map((d) => d.event).sort()).toEqual(["check_suite", "push"]);
    expect(deliveries.every((d) => d.status_code === 200)).toBe(true);
    const pushed = deliveries.find((d) => d.event === "push");
    expect(pushed?.guid).toBe(push.id);

    const attempt = await app.octokit.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
      delivery_id: pushed?.id ?? 0,
    });
    expect(attempt.status).toBe(202);
    const again = await until(() => pushes[1]);
    expect(again.id).toBe(push.id);
    const { data: newest } = await app.octokit.request("GET /app/hook/deliveries", { per_page: 1 });
    expect(newest[0]).toMatchObject({ guid: push.id, redelivery: true, status_code: 200 });
  });
});
