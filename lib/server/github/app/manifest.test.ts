import { describe, expect, it } from "vitest";
import { manifestFormAction, parseManifestOwner } from "@/lib/github-app/manifest-form";
import { APP_EVENTS, APP_PERMISSIONS, appPageUrl, buildManifest, defaultAppName, installationUrl } from "./manifest";

describe("the GitHub App manifest", () => {
  const manifest = buildManifest({ appUrl: "https://stageboard.example.com/", githubUrl: "https://github.com" });

  it("points every address GitHub needs at Stageboard's public URL", () => {
    expect(manifest).toMatchObject({
      url: "https://stageboard.example.com",
      hook_attributes: { url: "https://stageboard.example.com/api/github/webhooks", active: true },
      redirect_url: "https://stageboard.example.com/api/github/app/manifest-callback",
      callback_urls: ["https://stageboard.example.com/api/auth/callback/github"],
      setup_url: "https://stageboard.example.com/settings/github-app",
      setup_on_update: true,
      public: false,
    });
  });

  it("asks for exactly what write-back needs, and nothing that could change code or settings", () => {
    expect(manifest.default_permissions).toEqual({
      checks: "write",
      statuses: "write",
      deployments: "write",
      contents: "read",
      metadata: "read",
      pull_requests: "read",
      administration: "read",
      members: "read",
    });
    expect(Object.values(APP_PERMISSIONS as Record<string, string>).filter((level) => level === "admin")).toEqual([]);
    expect(APP_PERMISSIONS.administration).toBe("read");
    expect(manifest.default_events).toEqual(["check_run", "check_suite", "status", "push", "pull_request"]);
  });

  it("leaves out the installation events GitHub delivers anyway and refuses in default_events", () => {
    expect(APP_EVENTS).not.toContain("installation");
    expect(APP_EVENTS).not.toContain("installation_repositories");
  });

  it("registers the webhook inactive when GitHub could not reach Stageboard's loopback address", () => {
    const local = buildManifest({ appUrl: "http://localhost:3000", githubUrl: "https://github.com" });
    expect(local.hook_attributes).toEqual({ url: "http://localhost:3000/api/github/webhooks", active: false });
    const behindStandIn = buildManifest({ appUrl: "http://localhost:3000", githubUrl: "http://127.0.0.1:4600" });
    expect(behindStandIn.hook_attributes.active).toBe(true);
    const ghes = buildManifest({ appUrl: "http://10.0.0.5:3000", githubUrl: "https://github.internal" });
    expect(ghes.hook_attributes.active).toBe(true);
  });

  it("names the App after the host, within GitHub's 34 characters", () => {
    expect(defaultAppName("https://ci.acme.dev")).toBe("Stageboard (ci.acme.dev)");
    expect(defaultAppName(`https://${"a".repeat(40)}.example.com`)).toBe("Stageboard");
  });
});

describe("the manifest flow's addresses", () => {
  it("posts to the account's or an organisation's creation page, carrying the state", () => {
    expect(manifestFormAction({ githubUrl: "https://github.com/", owner: { kind: "user" }, state: "1.a+b" })).toBe(
      "https://github.com/settings/apps/new?state=1.a%2Bb",
    );
    expect(
      manifestFormAction({
        githubUrl: "https://ghe.acme.dev",
        owner: { kind: "organization", login: "acme" },
        state: "s",
      }),
    ).toBe("https://ghe.acme.dev/organizations/acme/settings/apps/new?state=s");
  });

  it("accepts only organisation logins GitHub allows", () => {
    expect(parseManifestOwner("")).toEqual({ kind: "user" });
    expect(parseManifestOwner(" acme-labs ")).toEqual({ kind: "organization", login: "acme-labs" });
    for (const bad of ["-acme", "acme/..", "a".repeat(40), "acme corp", "../settings"])
      expect(parseManifestOwner(bad)).toBeNull();
  });

  it("links only to the configured GitHub, and only for a slug", () => {
    expect(installationUrl("https://github.com", "stageboard-acme")).toBe(
      "https://github.com/apps/stageboard-acme/installations/new",
    );
    expect(appPageUrl("https://github.com/", "stageboard-acme")).toBe("https://github.com/apps/stageboard-acme");
    for (const bad of ["../evil", "//evil.example", "Stage Board", ""])
      expect(installationUrl("https://github.com", bad)).toBeNull();
  });
});
