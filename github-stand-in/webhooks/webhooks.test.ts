import { afterEach, describe, expect, it } from "vitest";
import { checkDeliveryResponse, checkWebhookPayload, webhookKind } from "../test-support/webhook-description";
import { webhooksOf } from "./hub";
import type { Received } from "./test-receiver";
import type { WebhookWorld } from "./webhook-test-setup";
import { startWebhookWorld } from "./webhook-test-setup";

let world: WebhookWorld | undefined;
afterEach(async () => {
  if (world) await webhooksOf(world.standIn.state).settled();
  await world?.stop();
  world = undefined;
});

const SHA = "a".repeat(40);
const byEvent = (event: string, action?: string) => (r: Received) =>
  r.event === event && (action === undefined || r.payload.action === action);

function schemaErrors(received: Received[]): string[] {
  return received.flatMap((r) => {
    const kind = webhookKind(r.event, r.payload.action as string | undefined);
    return checkWebhookPayload(kind, r.payload).map((e) => `${kind}: ${e}`);
  });
}

async function addCommits(w: WebhookWorld, repository = "acme/web-app") {
  const { status, body } = await w.control("/commits", {
    repository,
    commits: [
      { message: "first", author: { name: "Ada Lovelace", email: "ada@example.com", date: "2026-01-01T10:00:00Z" } },
      { message: "second", author: { name: "Someone", email: "someone@example.org", date: "2026-01-01T11:00:00Z" } },
    ],
  });
  expect(status).toBe(200);
  return body.commits as string[];
}

describe("push", () => {
  it("commits added through the control plane are pushed, signed and shaped as GitHub sends them", async () => {
    world = await startWebhookWorld([{ name: "Receiver" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    const [first, second] = await addCommits(world);
    const [push] = await app.receiver.waitFor(1, byEvent("push"));
    const [requested] = await app.receiver.waitFor(1, byEvent("check_suite", "requested"));
    if (!push || !requested) throw new Error("missing deliveries");

    expect(push.verified).toBe(true);
    expect(push.headers["x-hub-signature"]).toMatch(/^sha1=[0-9a-f]{40}$/);
    expect(push.headers["x-github-delivery"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(push.headers["x-github-hook-installation-target-type"]).toBe("integration");
    expect(push.headers["x-github-hook-installation-target-id"]).toBe(String(app.id));
    expect(push.headers["x-github-hook-id"]).toMatch(/^\d+$/);
    expect(push.headers["user-agent"]).toMatch(/^GitHub-Hookshot\/[0-9a-f]+$/);
    expect(push.headers["content-type"]).toBe("application/json");
    expect(push.payload).toMatchObject({
      ref: "refs/heads/main",
      before: "0".repeat(40),
      after: second,
      created: true,
      installation: { id: app.installationId },
      repository: { full_name: "acme/web-app" },
      pusher: { name: "acme" },
    });
    const commits = push.payload.commits as { id: string; author: { username?: string } }[];
    expect(commits.map((c) => c.id)).toEqual([first, second]);
    expect(commits[0]?.author.username).toBe("ada");
    expect(commits[1]?.author.username).toBeUndefined();
    expect((push.payload.head_commit as { id: string }).id).toBe(second);

    expect(requested.payload).toMatchObject({ action: "requested", check_suite: { head_sha: second } });
    expect(schemaErrors([push, requested])).toEqual([]);
  });

  it("a push of the commit source's commits asks the source for them", async () => {
    const { createServer } = await import("node:http");
    const tip = "c".repeat(40);
    const middle = "b".repeat(40);
    const base = "9".repeat(40);
    const person = (name: string) => ({ name, email: "grace@example.com", date: "2026-02-02T09:00:00Z" });
    const log = [
      { sha: tip, parents: [middle], message: "tip", author: person("Grace Hopper") },
      { sha: middle, parents: [base], message: "middle", author: person("Grace Hopper") },
      { sha: base, parents: [], message: "base", author: person("Grace Hopper") },
    ];
    const source = createServer((req, res) => {
      const ref = new URL(req.url ?? "/", "http://x").searchParams.get("ref");
      const from = log.findIndex((c) => c.sha === ref);
      res.writeHead(from < 0 ? 404 : 200, { "content-type": "application/json" });
      res.end(JSON.stringify({ commits: from < 0 ? [] : log.slice(from) }));
    });
    await new Promise<void>((resolve) => source.listen(0, "127.0.0.1", resolve));
    const address = source.address() as { port: number };
    try {
      world = await startWebhookWorld([{ name: "Receiver", owner: "globex", installations: [{ account: "globex" }] }], {
        commitsFrom: `http://127.0.0.1:${address.port}/commits`,
      });
      const [app] = world.apps;
      if (!app) throw new Error("no app");
      const answer = await world.control("/push", { repository: "globex/storefront", after: tip, before: base });
      expect(answer.status).toBe(200);
      const [push] = await app.receiver.waitFor(1, byEvent("push"));
      expect(push?.payload).toMatchObject({ before: base, after: tip, created: false, pusher: { name: "grace" } });
      const commits = push?.payload.commits as { id: string }[];
      expect(commits.map((c) => c.id)).toEqual([middle, tip]);
      expect(schemaErrors(push ? [push] : [])).toEqual([]);

      // Without before: the tip alone, after its parent.
      await world.control("/push", { repository: "globex/storefront", after: middle, branch: "release" });
      const pushes = await app.receiver.waitFor(2, byEvent("push"));
      expect(pushes[1]?.payload).toMatchObject({ ref: "refs/heads/release", before: base, after: middle });
      // A commit the source does not know still makes a push, with what the stand-in knows.
      const unknown = "d".repeat(40);
      await world.control("/push", { repository: "globex/storefront", after: unknown });
      const all = await app.receiver.waitFor(3, byEvent("push"));
      expect(all[2]?.payload).toMatchObject({ after: unknown, commits: [], head_commit: null });
      expect(schemaErrors(all)).toEqual([]);
    } finally {
      await new Promise((resolve) => source.close(resolve));
    }
  });

  it("goes only to Apps installed there, subscribed, with the permission, and an active webhook", async () => {
    world = await startWebhookWorld([
      { name: "Receiver" },
      { name: "Elsewhere", installations: [{ account: "globex" }] },
      { name: "Unsubscribed", events: ["status"] },
      { name: "No contents", permissions: { checks: "read" } },
      { name: "Reader", permissions: { checks: "read", contents: "read" } },
    ]);
    await addCommits(world);
    const [receiver, elsewhere, unsubscribed, noContents, reader] = world.apps;
    await receiver?.receiver.waitFor(2);
    await webhooksOf(world.standIn.state).settled();
    expect(receiver?.receiver.received.map((r) => `${r.event}.${String(r.payload.action)}`).sort()).toEqual([
      "check_suite.requested",
      "push.undefined",
    ]);
    expect(elsewhere?.receiver.received).toEqual([]);
    expect(unsubscribed?.receiver.received).toEqual([]);
    // check_suite requested goes to Apps that may write checks; push needs contents.
    expect(noContents?.receiver.received).toEqual([]);
    expect(reader?.receiver.received.map((r) => r.event)).toEqual(["push"]);
  });
});

describe("check runs, suites and statuses", () => {
  it("an App's run sends created and completed to every subscribed App, and the suite's completed", async () => {
    world = await startWebhookWorld([{ name: "Writer" }, { name: "Watcher" }]);
    const [writer, watcher] = world.apps;
    if (!writer || !watcher) throw new Error("no apps");
    const created = await writer.asInstallation("/repos/acme/web-app/check-runs", {
      method: "POST",
      body: JSON.stringify({
        name: "deploy",
        head_sha: SHA,
        status: "in_progress",
        actions: [{ label: "Approve", description: "Approve the stage", identifier: "approve" }],
      }),
    });
    expect(created.status).toBe(201);
    const run = (await created.json()) as { id: number };
    const done = await writer.asInstallation(`/repos/acme/web-app/check-runs/${run.id}`, {
      method: "PATCH",
      body: JSON.stringify({ conclusion: "success" }),
    });
    expect(done.status).toBe(200);

    for (const app of [writer, watcher]) {
      const got = await app.receiver.waitFor(3);
      expect(got.map((r) => `${r.event}.${String(r.payload.action)}`)).toEqual([
        "check_run.created",
        "check_run.completed",
        "check_suite.completed",
      ]);
      expect(got.every((r) => r.verified)).toBe(true);
      expect(got[0]?.payload).toMatchObject({
        check_run: { id: run.id, status: "in_progress", conclusion: null, app: { id: writer.id } },
        sender: { login: `${writer.slug}[bot]`, type: "Bot" },
        installation: { id: app.installationId },
      });
      expect(got[1]?.payload).toMatchObject({ check_run: { status: "completed", conclusion: "success" } });
      expect(got[2]?.payload).toMatchObject({
        check_suite: { status: "completed", conclusion: "success", latest_check_runs_count: 1, head_sha: SHA },
      });
      expect(schemaErrors(got)).toEqual([]);
    }

    // A click on the run's button, and a re-run, go to the App that owns the run only.
    const click = await world.control("/check-runs/requested-action", {
      repository: "acme/web-app",
      check_run_id: run.id,
      identifier: "approve",
      login: "ada",
    });
    expect(click.status).toBe(200);
    await world.control("/check-runs/rerequest", { repository: "acme/web-app", check_run_id: run.id, login: "ada" });
    const owner = await writer.receiver.waitFor(5);
    expect(owner[3]?.payload).toMatchObject({
      action: "requested_action",
      requested_action: { identifier: "approve" },
      sender: { login: "ada" },
    });
    expect(owner[4]?.payload).toMatchObject({ action: "rerequested", sender: { login: "ada" } });
    expect(schemaErrors(owner.slice(3))).toEqual([]);
    await webhooksOf(world.standIn.state).settled();
    expect(watcher.receiver.received).toHaveLength(3);
    const unknownButton = await world.control("/check-runs/requested-action", {
      repository: "acme/web-app",
      check_run_id: run.id,
      identifier: "nope",
      login: "ada",
    });
    expect(unknownButton.status).toBe(400);
  });

  it("GitHub Actions' runs through the control plane and every commit status send their events", async () => {
    world = await startWebhookWorld([{ name: "Watcher" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    await world.control("/checks", { repository: "acme/web-app", sha: SHA, name: "build", status: "in_progress" });
    await world.control("/checks", { repository: "acme/web-app", sha: SHA, name: "build", conclusion: "failure" });
    await world.control("/checks", { repository: "acme/web-app", sha: SHA, state: "pending", context: "ci/x" });
    const rest = await app.asInstallation(`/repos/acme/web-app/statuses/${SHA}`, {
      method: "POST",
      body: JSON.stringify({ state: "success", context: "stageboard", description: "Deployed" }),
    });
    expect(rest.status).toBe(201);
    const got = await app.receiver.waitFor(5);
    expect(got.map((r) => `${r.event}.${String(r.payload.action)}`)).toEqual([
      "check_run.created",
      "check_run.completed",
      "check_suite.completed",
      "status.undefined",
      "status.undefined",
    ]);
    expect(got[0]?.payload).toMatchObject({
      check_run: { app: { id: 15368 } },
      sender: { login: "github-actions[bot]" },
    });
    expect(got[2]?.payload).toMatchObject({ check_suite: { conclusion: "failure" } });
    expect(got[3]?.payload).toMatchObject({ state: "pending", context: "ci/x", sha: SHA, name: "acme/web-app" });
    expect(got[4]?.payload).toMatchObject({ state: "success", sender: { login: `${app.slug}[bot]` } });
    expect(schemaErrors(got)).toEqual([]);
  });

  it("a demo workflow starts its jobs in progress and completes each after its delay", async () => {
    world = await startWebhookWorld([{ name: "Watcher" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    const started = await world.control("/workflows", {
      repository: "acme/web-app",
      sha: SHA,
      checks: [
        { name: "test", conclusion: "success", afterMs: 0 },
        { name: "lint", conclusion: "neutral", afterMs: 30 },
      ],
    });
    expect(started.status).toBe(200);
    const got = await app.receiver.waitFor(5);
    const names = got.map((r) => {
      const run = r.payload.check_run as { name: string } | undefined;
      return `${r.event}.${String(r.payload.action)}${run ? `.${run.name}` : ""}`;
    });
    expect(names.slice(0, 2)).toEqual(["check_run.created.test", "check_run.created.lint"]);
    expect(names.slice(2).sort()).toEqual([
      "check_run.completed.lint",
      "check_run.completed.test",
      "check_suite.completed",
    ]);
    expect(names.at(-1)).toBe("check_suite.completed");
    expect(got.at(-1)?.payload).toMatchObject({ check_suite: { conclusion: "neutral", latest_check_runs_count: 2 } });
    expect(schemaErrors(got)).toEqual([]);
    const refused = await world.control("/workflows", { repository: "acme/web-app", sha: SHA, checks: [{}] });
    expect(refused.status).toBe(400);
  });
});

describe("delivery and the delivery log", () => {
  it("answers the triggering request before the receiver has answered", async () => {
    world = await startWebhookWorld([{ name: "Slow" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    const release = app.receiver.hold();
    const rest = await app.asInstallation(`/repos/acme/web-app/statuses/${SHA}`, {
      method: "POST",
      body: JSON.stringify({ state: "success", context: "stageboard" }),
    });
    expect(rest.status).toBe(201);
    await app.receiver.waitFor(1);
    // The delivery reached the receiver, but is not answered yet: nothing logged.
    expect(webhooksOf(world.standIn.state).log.list(app.id)).toEqual([]);
    release();
    await webhooksOf(world.standIn.state).settled();
    expect(
      webhooksOf(world.standIn.state)
        .log.list(app.id)
        .map((d) => d.status),
    ).toEqual(["OK"]);
  });

  it("logs each attempt, pages it newest first, and redelivers with the same guid", async () => {
    world = await startWebhookWorld([{ name: "Logged" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    const hub = webhooksOf(world.standIn.state);
    const status = (state: string) =>
      world?.control("/checks", { repository: "acme/web-app", sha: SHA, state, context: "ci" });
    await status("pending");
    await hub.settled();
    app.receiver.answer(503);
    await status("failure");
    await hub.settled();
    expect((await world.control("/webhooks", { paused: true })).body).toMatchObject({ paused: true });
    await status("success");
    await hub.settled();
    await world.control("/webhooks", { paused: false });
    app.receiver.answer(202);
    expect(app.receiver.received).toHaveLength(2);

    const list = await app.asApp("/app/hook/deliveries");
    expect(list.status).toBe(200);
    const items = (await list.json()) as { id: number; status: string; status_code: number; guid: string }[];
    expect(checkDeliveryResponse("get /app/hook/deliveries", 200, items)).toEqual([]);
    expect(items.map((i) => [i.status, i.status_code])).toEqual([
      ["failed to connect", 502],
      ["Invalid HTTP Response: 503", 503],
      ["OK", 202],
    ]);
    expect(items[0]!.id).toBeGreaterThan(items[1]!.id);
    for (const item of items)
      expect(item).toMatchObject({ event: "status", action: null, installation_id: app.installationId });

    const failures = (await (await app.asApp("/app/hook/deliveries?status=failure")).json()) as { id: number }[];
    expect(failures.map((f) => f.id)).toEqual([items[0]!.id, items[1]!.id]);
    const first = await app.asApp("/app/hook/deliveries?per_page=2");
    const link = first.headers.get("link") ?? "";
    expect(((await first.json()) as unknown[]).length).toBe(2);
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1];
    expect(next).toContain(`cursor=v1_${items[2]!.id}`);
    const rest = await app.asApp(new URL(next ?? "").pathname.replace("/api/v3", "") + new URL(next ?? "").search);
    expect(((await rest.json()) as { id: number }[]).map((d) => d.id)).toEqual([items[2]!.id]);
    expect(rest.headers.get("link")).toMatch(/rel="first"/);
    expect(rest.headers.get("link")).not.toMatch(/rel="next"/);
    expect((await app.asApp("/app/hook/deliveries?status=sometimes")).status).toBe(422);

    const detail = await app.asApp(`/app/hook/deliveries/${items[1]!.id}`);
    const shown = (await detail.json()) as Record<string, unknown>;
    expect(checkDeliveryResponse("get /app/hook/deliveries/{delivery_id}", 200, shown)).toEqual([]);
    expect(shown).toMatchObject({
      url: app.receiver.url,
      request: { headers: { "X-GitHub-Event": "status" }, payload: { state: "failure" } },
      response: { payload: '{"ok":false}' },
    });
    const missing = await app.asApp("/app/hook/deliveries/1");
    expect(missing.status).toBe(404);
    expect(checkDeliveryResponse("get /app/hook/deliveries/{delivery_id}", 404, await missing.json())).toEqual([]);

    // The delivery missed while the receiver was down, sent again.
    const attempt = await app.asApp(`/app/hook/deliveries/${items[0]!.id}/attempts`, { method: "POST" });
    expect(attempt.status).toBe(202);
    expect(
      checkDeliveryResponse("post /app/hook/deliveries/{delivery_id}/attempts", 202, await attempt.json()),
    ).toEqual([]);
    await hub.settled();
    const redelivered = app.receiver.received[2];
    expect(redelivered?.guid).toBe(items[0]!.guid);
    expect(redelivered?.verified).toBe(true);
    expect(redelivered?.payload).toMatchObject({ state: "success" });
    const after = (await (await app.asApp("/app/hook/deliveries")).json()) as Record<string, unknown>[];
    expect(after[0]).toMatchObject({ guid: items[0]!.guid, redelivery: true, status: "OK" });
    expect(after[0]!.id).toBeGreaterThan(items[0]!.id);

    // The control plane lists every delivery of every App.
    const all = await world.control("/webhooks");
    expect((all.body.deliveries as unknown[]).length).toBe(4);
  });

  it("a receiver that does not answer in time is logged as timed out", async () => {
    world = await startWebhookWorld([{ name: "Hanging" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    const hub = webhooksOf(world.standIn.state);
    hub.timeoutMs = 100;
    const release = app.receiver.hold();
    await world.control("/checks", { repository: "acme/web-app", sha: SHA, state: "success" });
    await hub.settled();
    release();
    expect(hub.log.list(app.id).map((d) => [d.status, d.statusCode])).toEqual([["timed out", 504]]);
  });

  it("sends the next deliveries twice when asked, and out of order while shuffling", async () => {
    world = await startWebhookWorld([{ name: "Benchmarked" }]);
    const [app] = world.apps;
    if (!app) throw new Error("no app");
    const hub = webhooksOf(world.standIn.state);
    await world.control("/webhooks", { duplicate: 1 });
    await world.control("/checks", { repository: "acme/web-app", sha: SHA, state: "success", context: "one" });
    await world.control("/checks", { repository: "acme/web-app", sha: SHA, state: "success", context: "two" });
    await hub.settled();
    const contexts = app.receiver.received.map((r) => r.payload.context);
    expect(contexts).toEqual(["one", "one", "two"]);
    expect(app.receiver.received[0]?.guid).toBe(app.receiver.received[1]?.guid);

    await world.control("/webhooks", { shuffle: true, shuffleWindowMs: 200 });
    const count = 30;
    for (let i = 0; i < count; i++)
      await world.control("/checks", { repository: "acme/web-app", sha: SHA, state: "success", context: `s${i}` });
    await hub.settled();
    const shuffled = app.receiver.received.slice(3).map((r) => r.payload.context);
    expect([...shuffled].sort()).toEqual(Array.from({ length: count }, (_, i) => `s${i}`).sort());
    // 30 deliveries each held a random time: all in order would be a 1 in 30! chance.
    expect(shuffled).not.toEqual(Array.from({ length: count }, (_, i) => `s${i}`));
    const controls = await world.control("/webhooks", { shuffle: false });
    expect(controls.body).toMatchObject({ paused: false, duplicate: 0, shuffleWindowMs: null });
  });
});
