// Hostile input against every route and page of the app, signed in and not: generated malformed,
// oversized, wrongly typed and unexpected input. None may answer 5xx, no rejected input may change
// stored data, and none may come back into HTML unescaped. The routes come from the `app/` tree, so a
// new route fails this suite until INPUTS below says how to call it.
import { request as httpRequest } from "node:http";
import path from "node:path";
import fc from "fast-check";
import { expect, test } from "./fixtures";
import { E2E } from "./environment";
import { discoverRoutes } from "./hostile/app-routes";
import { MARKER, hostileBody, hostileQuery, hostileText, rawUrlPart, type HostileBody } from "./hostile/inputs";

type Known = { pipelineId: string; executionId: string; owner: string; name: string };
/** How to fill a route's dynamic segments: a real value (to reach deeper code) or hostile text. */
type ParamSource = keyof Known | "any";

const INPUTS: Record<string, Record<string, ParamSource>> = {
  "/": {},
  "/login": {},
  "/pipelines/[id]": { id: "pipelineId" },
  "/pipelines/[id]/executions": { id: "pipelineId" },
  "/pipelines/[id]/executions/[executionId]": { id: "pipelineId", executionId: "executionId" },
  "/repositories/[owner]/[name]": { owner: "owner", name: "name" },
  "/repositories/[owner]/[name]/settings": { owner: "owner", name: "name" },
  "/repositories/[owner]/[name]/settings/notifications": { owner: "owner", name: "name" },
  "/approvals": {},
  "/audit": {},
  "/search": {},
  "/insights": {},
  "/insights/export": {},
  "/pipelines/[id]/insights": { id: "pipelineId" },
  "/repositories/[owner]/[name]/insights": { owner: "owner", name: "name" },
  "/badges/[owner]/[repo]": { owner: "owner", repo: "name" },
  "/badges/[owner]/[repo]/[pipeline]": { owner: "owner", repo: "name", pipeline: "any" },
  "/settings/github-app": {},
  "/settings/writeback": {},
  "/api/admin/writeback": {},
  "/api/admin/writeback/retry": {},
  "/api/approvals": {},
  "/api/approvals/[id]": { id: "any" },
  "/api/approvals/[id]/decision": { id: "any" },
  "/api/audit": {},
  "/api/auth/[...nextauth]": { nextauth: "any" },
  "/api/changes": {},
  "/api/events/codepipeline": {},
  "/api/github/app/manifest-callback": {},
  "/api/github/webhooks": {},
  "/api/health": {},
  "/api/me": {},
  "/api/pipelines": {},
  "/api/pipelines/[id]": { id: "pipelineId" },
  "/api/pipelines/[id]/executions": { id: "pipelineId" },
  "/api/pipelines/[id]/executions/[executionId]": { id: "pipelineId", executionId: "executionId" },
  "/api/pipelines/[id]/commands": { id: "pipelineId" },
  "/api/pipelines/[id]/gate": { id: "pipelineId" },
  "/api/pipelines/[id]/rights": { id: "pipelineId" },
  "/api/repositories/[owner]/[name]": { owner: "owner", name: "name" },
  "/api/repositories/[owner]/[name]/badge-key": { owner: "owner", name: "name" },
  "/api/repositories/[owner]/[name]/policy": { owner: "owner", name: "name" },
  "/api/repositories/[owner]/[name]/webhooks": { owner: "owner", name: "name" },
  "/api/repositories/[owner]/[name]/webhooks/[webhookId]": { owner: "owner", name: "name", webhookId: "any" },
  "/api/repositories/[owner]/[name]/webhooks/[webhookId]/deliveries/[deliveryId]/redeliver": {
    owner: "owner",
    name: "name",
    webhookId: "any",
    deliveryId: "any",
  },
  "/api/repositories/[owner]/[name]/webhooks/[webhookId]/test": { owner: "owner", name: "name", webhookId: "any" },
  "/api/repositories/[owner]/[name]/writeback": { owner: "owner", name: "name" },
  "/api/search/commits": {},
  "/api/sessions": {},
  "/api/stream": {},
};

const RUNS = 25;
const counts = { routes: 0, inputs: 0, serverErrors: 0 };

type Answer = { status: number; contentType: string; body: string };

/** A raw HTTP request, so that malformed escapes and odd methods reach the server as they are. */
function send(
  input: { method: string; path: string; cookie?: string; origin?: string } & HostileBody,
): Promise<Answer> {
  const url = new URL(E2E.appUrl);
  const headers: Record<string, string> = {};
  if (input.cookie) headers.cookie = input.cookie;
  if (input.origin) headers.origin = input.origin;
  if (input.contentType) headers["content-type"] = input.contentType;
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      // Browsers accept response headers far larger than Node's 16 KiB default (Next's own trailing-slash
      // redirect repeats a long query in its Location before Stageboard's code runs).
      {
        host: url.hostname,
        port: url.port,
        method: input.method,
        path: input.path,
        headers,
        maxHeaderSize: 256 * 1024,
      },
      (res) => {
        // A live stream that opened never ends by itself: its status and type are the answer.
        if (String(res.headers["content-type"] ?? "").startsWith("text/event-stream")) {
          resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"]), body: "" });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            contentType: String(res.headers["content-type"] ?? ""),
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", (error: NodeJS.ErrnoException) => {
      // A server may refuse an oversized body by answering early and closing the connection while the
      // client is still sending it; that is a refusal, not a failure (a crash shows in the next request).
      const oversized = input.body !== undefined && Buffer.byteLength(input.body) > 64 * 1024;
      if (oversized && (error.code === "ECONNRESET" || error.code === "EPIPE")) {
        resolve({ status: 413, contentType: "", body: "" });
      } else reject(error);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${input.method} ${input.path.slice(0, 200)} timed out`)));
    req.end(input.method === "GET" || input.method === "HEAD" ? undefined : input.body);
  });
}

function fillPattern(pattern: string, values: Record<string, string>): string {
  return pattern.replace(/\[(?:\.\.\.)?([^\]]+)\]/g, (_, name: string) => values[name] ?? "x");
}

test.describe("hostile input", () => {
  test("every route is covered", () => {
    const routes = discoverRoutes(path.resolve("app"));
    expect(routes.map((r) => r.pattern)).toEqual(Object.keys(INPUTS).sort((a, b) => a.localeCompare(b)));
  });

  test("no route answers 5xx, changes data on a refusal, or echoes markup @slow", async ({ users, db }) => {
    test.setTimeout(600_000);
    const routes = discoverRoutes(path.resolve("app"));
    const picked = await db.query<{ id: string; executionId: string; fullName: string }>(
      `SELECT p.id, e."executionId", r."fullName" FROM "Pipeline" p
         JOIN "Repository" r ON r.id = p."repositoryId"
         JOIN "Execution" e ON e."pipelineId" = p.id
        WHERE p."deletedAt" IS NULL ORDER BY e."startTime" DESC NULLS LAST LIMIT 1`,
    );
    const row = picked.rows[0];
    expect(row, "the e2e fleet has a mapped pipeline with an execution").toBeTruthy();
    const [owner = "", name = ""] = (row?.fullName ?? "/").split("/");
    const known: Known = { pipelineId: row?.id ?? "", executionId: row?.executionId ?? "", owner, name };

    let viewer = await users.create({ repositories: [row?.fullName ?? ""] });
    const sessionsOf = async (userId: string) =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM "Session" WHERE "userId" = $1`, [userId])).rows[0]?.n,
      );
    const userRow = async (userId: string) =>
      JSON.stringify((await db.query(`SELECT * FROM "User" WHERE id = $1`, [userId])).rows[0]);
    const eventsStoredWithMarker = async () =>
      Number(
        (await db.query<{ n: string }>(`SELECT count(*) AS n FROM "ProcessedEvent" WHERE id LIKE '%hostile%'`)).rows[0]
          ?.n,
      );

    for (const route of routes) {
      const sources = INPUTS[route.pattern] ?? {};
      // Every exported method, and one the route does not export.
      const methods = [...route.methods, ...["PATCH", "PUT"].filter((m) => !route.methods.includes(m)).slice(0, 1)];
      counts.routes++;
      for (const method of methods) {
        for (const signedIn of [false, true]) {
          const paramArbitraries = Object.fromEntries(
            Object.entries(sources).map(([param, source]) => [
              param,
              source === "any"
                ? hostileText.map(rawUrlPart)
                : fc.oneof(fc.constant(encodeURIComponent(known[source])), hostileText.map(rawUrlPart)),
            ]),
          );
          await fc.assert(
            fc.asyncProperty(
              fc.record(paramArbitraries),
              hostileQuery,
              hostileBody,
              fc.boolean(),
              async (params, query, body, sameOrigin) => {
                const requestPath = `${fillPattern(route.pattern, params)}${query ? `?${query}` : ""}`;
                const beforeUser = await userRow(viewer.id);
                const beforeSessions = await sessionsOf(viewer.id);
                const answer = await send({
                  method,
                  path: requestPath,
                  cookie: signedIn ? `next-auth.session-token=${viewer.sessionToken}` : undefined,
                  origin: sameOrigin ? E2E.appUrl : undefined,
                  ...body,
                });
                counts.inputs++;
                if (answer.status >= 500) counts.serverErrors++;
                const where = `${method} ${requestPath.slice(0, 300)} (signed ${signedIn ? "in" : "out"})`;
                expect(answer.status, `${where} answered ${answer.status}: ${answer.body.slice(0, 300)}`).toBeLessThan(
                  500,
                );
                if (answer.contentType.includes("html")) {
                  expect(answer.body.includes(MARKER), `${where} echoed markup unescaped`).toBe(false);
                }
                if (answer.status >= 400) {
                  expect(await userRow(viewer.id), `${where} was refused yet changed the user`).toBe(beforeUser);
                  expect(await sessionsOf(viewer.id), `${where} was refused yet ended sessions`).toBe(beforeSessions);
                } else if ((await sessionsOf(viewer.id)) === 0) {
                  // An accepted "sign out everywhere" ends the session: go on as a new person.
                  viewer = await users.create({ repositories: [row?.fullName ?? ""] });
                }
                expect(await eventsStoredWithMarker(), `${where} stored an event nobody sent`).toBe(0);
              },
            ),
            { numRuns: RUNS, endOnFailure: true },
          );
        }
      }
    }
    console.log(`hostile-input: routes=${counts.routes} inputs=${counts.inputs} 5xx=${counts.serverErrors}`);
    expect(counts.serverErrors).toBe(0);
  });
});
