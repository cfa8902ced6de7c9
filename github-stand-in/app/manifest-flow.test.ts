import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startGitHubStandIn } from "../index";
import type { RunningGitHubStandIn } from "../index";
import { appJwt } from "../test-support/app-client";
import { api } from "../test-support/github-client";

let clock = Date.UTC(2026, 0, 5, 9, 0, 0);
let standIn: RunningGitHubStandIn;

beforeAll(async () => {
  standIn = await startGitHubStandIn({ now: () => clock });
});
afterAll(() => standIn.stop());

const SETUP = "http://localhost:3000/api/github-app/setup";

function manifest(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    name: "Stageboard",
    url: "http://localhost:3000",
    hook_attributes: { url: "http://localhost:3000/api/github/webhook" },
    redirect_url: "http://localhost:3000/api/github-app/created",
    callback_urls: ["http://localhost:3000/api/github-app/callback"],
    setup_url: SETUP,
    public: false,
    default_permissions: { checks: "write", statuses: "write" },
    default_events: ["check_run", "check_suite"],
    ...overrides,
  });
}

async function post(path: string, form: Record<string, string | string[]>): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(form)) {
    for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  }
  return fetch(`${standIn.url}${path}`, { method: "POST", body, redirect: "manual" });
}

/** Walks the manifest flow as a person does and returns the code and state the browser brings back. */
async function create(options: { manifest: string; name: string; login: string; org?: string }): Promise<URL> {
  const path = options.org ? `/organizations/${options.org}/settings/apps/new` : "/settings/apps/new";
  const shown = await post(`${path}?state=opaque-123`, { manifest: options.manifest });
  expect(shown.status).toBe(200);
  const created = await post(path, {
    manifest: options.manifest,
    state: "opaque-123",
    name: options.name,
    login: options.login,
    decision: "create",
  });
  expect(created.status).toBe(302);
  return new URL(created.headers.get("location") ?? "");
}

async function convert(code: string) {
  return api(standIn.url, "POST", `/app-manifests/${code}/conversions`);
}

interface Converted {
  id: number;
  slug: string;
  pem: string;
  client_id: string;
  client_secret: string;
  webhook_secret: string;
  owner: { login: string; type: string };
  permissions: Record<string, string>;
  events: string[];
}

describe("creating an App from a manifest", () => {
  it("shows what the manifest asks for, with the name editable and everything escaped", async () => {
    const page = await post("/settings/apps/new?state=s", { manifest: manifest({ name: "<b>Board</b>" }) });
    const html = await page.text();
    expect(page.headers.get("x-frame-options")).toBe("deny");
    expect(html).toContain('value="&lt;b&gt;Board&lt;/b&gt;"');
    expect(html).not.toContain("<b>Board</b>");
    expect(html).toMatch(/Permissions: checks: write, statuses: write/);
    expect(html).toMatch(/name="state" value="s"/);
    expect(html).toMatch(/<button type="submit" name="decision" value="create">Create GitHub App<\/button>/);
  });

  it("redirects with a code and the state, and the code converts once into the App's credentials", async () => {
    const back = await create({ manifest: manifest(), name: "Stageboard (Ada)", login: "ada" });
    expect(`${back.origin}${back.pathname}`).toBe("http://localhost:3000/api/github-app/created");
    expect(back.searchParams.get("state")).toBe("opaque-123");
    const code = back.searchParams.get("code") ?? "";

    const { status, body } = await convert(code);
    expect(status).toBe(201);
    const app = body as Converted;
    expect(app).toMatchObject({
      slug: "stageboard-ada",
      owner: { login: "ada", type: "User" },
      permissions: { checks: "write", statuses: "write", metadata: "read" },
      events: ["check_run", "check_suite"],
    });
    expect(app.pem).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    expect(app.webhook_secret).toMatch(/^[0-9a-f]{40}$/);
    expect(app.client_secret).toMatch(/^[0-9a-f]{40}$/);
    expect((await convert(code)).status).toBe(404);

    // The key it handed out is the App's: a JWT signed with it is the App.
    const me = await api(standIn.url, "GET", "/app", { token: appJwt(app.pem, app.id, clock), scheme: "bearer" });
    expect(me.body).toMatchObject({ id: app.id, client_id: app.client_id, installations_count: 0 });
  });

  it("expires an unconverted code after an hour", async () => {
    const back = await create({ manifest: manifest(), name: "Late Converter", login: "grace" });
    clock += 60 * 60 * 1000;
    try {
      expect((await convert(back.searchParams.get("code") ?? "")).status).toBe(404);
    } finally {
      clock -= 60 * 60 * 1000;
    }
  });

  it("registers an organization's App only for one of its admins", async () => {
    const path = "/organizations/acme/settings/apps/new";
    const refused = await post(path, { manifest: manifest(), name: "Acme Board", login: "linus", decision: "create" });
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain("@linus cannot create Apps for acme.");
    const back = await create({ manifest: manifest(), name: "Acme Board", login: "ada", org: "acme" });
    const { body } = await convert(back.searchParams.get("code") ?? "");
    expect((body as Converted).owner).toMatchObject({ login: "acme", type: "Organization" });
  });

  it("refuses a manifest without a url, and a name already in use", async () => {
    const invalid = await post("/settings/apps/new", { manifest: manifest({ url: "javascript:alert(1)" }) });
    expect(invalid.status).toBe(422);
    expect(await invalid.text()).toContain("url is required and must be an http(s) URL");
    const notJson = await post("/settings/apps/new", { manifest: "{" });
    expect(notJson.status).toBe(422);
    await create({ manifest: manifest(), name: "Taken Name", login: "ada" });
    const again = await post("/settings/apps/new", {
      manifest: manifest(),
      name: "Taken Name",
      login: "grace",
      decision: "create",
    });
    expect(again.status).toBe(422);
    expect(await again.text()).toContain("Name is already in use");
  });
});

describe("installing an App", () => {
  async function newApp(name: string, overrides: Record<string, unknown> = {}): Promise<Converted> {
    const back = await create({ manifest: manifest(overrides), name, login: "ada", org: "acme" });
    return (await convert(back.searchParams.get("code") ?? "")).body as Converted;
  }

  it("installs on chosen repositories and sends the browser to the setup URL with installation_id", async () => {
    const app = await newApp("Installer Test");
    const page = await fetch(`${standIn.url}/apps/${app.slug}/installations/new?state=st`);
    const html = await page.text();
    // A private App installs only on its owner's account.
    expect(html).toContain('name="account" value="acme" checked');
    expect(html).not.toContain('name="account" value="globex"');

    const path = `/apps/${app.slug}/installations/new`;
    const form = {
      login: "ada",
      account: "acme",
      selection: "selected",
      repositories: ["acme/web-app", "acme/api"],
      state: "st",
      decision: "install",
    };
    const installed = await post(path, form);
    expect(installed.status).toBe(302);
    const setup = new URL(installed.headers.get("location") ?? "");
    expect(`${setup.origin}${setup.pathname}`).toBe(SETUP);
    expect(setup.searchParams.get("setup_action")).toBe("install");
    expect(setup.searchParams.get("state")).toBe("st");
    const id = Number(setup.searchParams.get("installation_id"));

    const token = appJwt(app.pem, app.id, clock);
    const { body } = await api(standIn.url, "GET", `/app/installations/${id}`, { token, scheme: "bearer" });
    expect(body).toMatchObject({ account: { login: "acme" }, repository_selection: "selected", app_id: app.id });
    const reach = await api(standIn.url, "GET", "/repos/acme/payments/installation", { token, scheme: "bearer" });
    expect(reach.status).toBe(404);

    const updated = await post(path, { ...form, selection: "all" });
    const again = new URL(updated.headers.get("location") ?? "");
    expect([again.searchParams.get("installation_id"), again.searchParams.get("setup_action")]).toEqual([
      String(id),
      "update",
    ]);
    const all = await api(standIn.url, "GET", "/repos/acme/payments/installation", { token, scheme: "bearer" });
    expect((all.body as { id: number }).id).toBe(id);
  });

  it("refuses someone who does not administer the account, and repositories of another account", async () => {
    const app = await newApp("Public Board", { public: true });
    const path = `/apps/${app.slug}/installations/new`;
    const base = { selection: "all", decision: "install" };
    const notAdmin = await post(path, { ...base, login: "linus", account: "acme" });
    expect(notAdmin.status).toBe(403);
    const foreign = await post(path, {
      ...base,
      login: "ada",
      account: "acme",
      selection: "selected",
      repositories: ["globex/storefront"],
    });
    expect(foreign.status).toBe(422);
    // Public: ada can install it on her own account too.
    const own = await post(path, { ...base, login: "ada", account: "ada" });
    expect(own.status).toBe(302);
    expect((await fetch(`${standIn.url}/apps/no-such-app/installations/new`)).status).toBe(404);
  });
});
