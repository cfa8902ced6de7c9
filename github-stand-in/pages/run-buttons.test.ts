import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookWorld } from "../webhooks/webhook-test-setup";
import { startWebhookWorld } from "../webhooks/webhook-test-setup";

// A check run's buttons on the commit page: offered to the person signed in on the stand-in, posted with their
// session's authenticity token from the stand-in's own page, and sent to the run's App as `requested_action` with
// that person as the sender, as the control plane's click is.
const SHA = "7".repeat(40);
const HOSTILE = `<script>alert(1)</script>"'`;
const PAGE = `/acme/web-app/commit/${SHA}`;

let world: WebhookWorld;
let runId: number;

beforeAll(async () => {
  world = await startWebhookWorld([{ name: "Approver" }]);
  const [app] = world.apps;
  if (!app) throw new Error("no app");
  const created = await app.asInstallation("/repos/acme/web-app/check-runs", {
    method: "POST",
    body: JSON.stringify({
      name: "Approval",
      head_sha: SHA,
      conclusion: "action_required",
      output: { title: "Waiting", summary: "Approve it" },
      actions: [
        { label: "Approve", description: `Go on ${HOSTILE}`.slice(0, 40), identifier: "approve" },
        { label: "Reject", description: "Stop", identifier: "reject" },
      ],
    }),
  });
  runId = ((await created.json()) as { id: number }).id;
});
afterAll(() => world.stop());

const get = async (path: string, cookie?: string) => {
  const response = await fetch(`${world.standIn.url}${path}`, {
    redirect: "manual",
    headers: cookie ? { cookie } : {},
  });
  return { status: response.status, headers: response.headers, html: await response.text() };
};

const post = (path: string, form: Record<string, string>, headers: Record<string, string> = {}) =>
  fetch(`${world.standIn.url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams(form).toString(),
  });

async function signIn(login: string, returnTo = PAGE): Promise<{ cookie: string; token: string }> {
  const answer = await post("/session", { login, return_to: returnTo });
  expect(answer.status).toBe(302);
  expect(answer.headers.get("location")).toBe(returnTo);
  const cookie = (answer.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
  expect(answer.headers.get("set-cookie")).toMatch(/HttpOnly; SameSite=Lax/);
  const { html } = await get(PAGE, cookie);
  const token = /name="authenticity_token" value="([^"]+)"/.exec(html)?.[1] ?? "";
  return { cookie, token };
}

const clicks = (login: string) =>
  world.apps[0]?.receiver.received.filter(
    (r) => r.payload.action === "requested_action" && (r.payload.sender as { login: string }).login === login,
  ) ?? [];

describe("a check run's buttons on the commit page", () => {
  it("shows nobody signed in a link to sign in, and no buttons", async () => {
    const { html } = await get(PAGE);
    expect(html).toContain(`href="/login?return_to=${encodeURIComponent(PAGE)}"`);
    expect(html).not.toContain("authenticity_token");
    expect(html).not.toContain("<button");
  });

  it("signs in only back to a page of the stand-in", async () => {
    const away = await post("/session", { login: "ada", return_to: "//evil.example/x" });
    expect(away.headers.get("location")).toBe("/");
    expect((await post("/session", { login: "nobody-here" })).status).toBe(422);
    expect((await get("/login?return_to=/x")).html).toContain('name="return_to" value="/x"');
  });

  it("offers the signed-in person the buttons, escaped, and sends their click to the run's App", async () => {
    const { cookie, token } = await signIn("linus");
    const { html } = await get(PAGE, cookie);
    expect(html).toContain("Signed in as @linus");
    expect(html).toContain(`action="/acme/web-app/runs/${runId}/requested_action"`);
    expect(html).toContain('value="approve"');
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");

    const answer = await post(
      `/acme/web-app/runs/${runId}/requested_action`,
      { authenticity_token: token, identifier: "approve" },
      { cookie, origin: world.standIn.url },
    );
    expect(answer.status).toBe(302);
    expect(answer.headers.get("location")).toBe(`${PAGE}?requested=${runId}#check-run-${runId}`);
    const [delivery] = await (world.apps[0]?.receiver.waitFor(1, (r) => r.payload.action === "requested_action") ?? []);
    expect(delivery?.payload).toMatchObject({
      action: "requested_action",
      requested_action: { identifier: "approve" },
      check_run: { id: runId },
      sender: { login: "linus" },
    });
    expect((await get(`${PAGE}?requested=${runId}`, cookie)).html).toContain("Your request was sent to Approver");
  });

  it("refuses a post without the session's token, from another origin, for a missing button or repository", async () => {
    const { cookie, token } = await signIn("ada");
    const path = `/acme/web-app/runs/${runId}/requested_action`;
    const before = clicks("ada").length;
    expect((await post(path, { identifier: "approve" }, { cookie })).status).toBe(403);
    expect((await post(path, { identifier: "approve", authenticity_token: `${token}x` }, { cookie })).status).toBe(403);
    expect((await post(path, { identifier: "approve", authenticity_token: token })).status).toBe(403);
    const foreign = { cookie, origin: "https://evil.example" };
    expect((await post(path, { identifier: "approve", authenticity_token: token }, foreign)).status).toBe(403);
    expect((await post(path, { identifier: "merge", authenticity_token: token }, { cookie })).status).toBe(422);
    expect(
      (
        await post(
          `/acme/web-app/runs/999999/requested_action`,
          { identifier: "approve", authenticity_token: token },
          { cookie },
        )
      ).status,
    ).toBe(404);
    // Signing in again makes a new session: the old token is worth nothing.
    const again = await signIn("ada");
    expect(
      (await post(path, { identifier: "approve", authenticity_token: token }, { cookie: again.cookie })).status,
    ).toBe(403);
    expect(clicks("ada").length).toBe(before);
  });

  it("gives no buttons' post to someone who cannot read the repository", async () => {
    await world.control("/users", { login: "outsider" });
    const { cookie, token } = await signIn("outsider");
    const answer = await post(
      `/acme/web-app/runs/${runId}/requested_action`,
      { identifier: "approve", authenticity_token: token },
      { cookie },
    );
    expect(answer.status).toBe(404);
    expect(clicks("outsider")).toHaveLength(0);
  });
});
