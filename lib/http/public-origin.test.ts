import { describe, expect, it } from "vitest";
import { isMachinePath, redirectToPublicOrigin } from "./public-origin";

const publicOrigin = "http://localhost:3000";
const at = (url: string, host: string | null, forwardedHost: string | null = null) =>
  redirectToPublicOrigin({ url: new URL(url), host, forwardedHost, publicOrigin })?.toString() ?? null;

describe("redirectToPublicOrigin", () => {
  it("sends a page opened on another name to the public origin, path and query kept", () => {
    expect(at("http://127.0.0.1:3000/pipelines/abc?tab=history", "127.0.0.1:3000")).toBe(
      "http://localhost:3000/pipelines/abc?tab=history",
    );
    expect(at("http://127.0.0.1:3000/api/auth/signin/github", "127.0.0.1:3000")).toBe(
      "http://localhost:3000/api/auth/signin/github",
    );
  });

  it("serves the public origin itself, whatever the letter case", () => {
    expect(at("http://localhost:3000/", "localhost:3000")).toBeNull();
    expect(at("http://LOCALHOST:3000/", "LOCALHOST:3000")).toBeNull();
  });

  it("judges by the forwarded host behind a proxy, and never by the scheme", () => {
    const https = {
      url: new URL("http://10.0.0.5:3000/"),
      host: "10.0.0.5:3000",
      publicOrigin: "https://sb.example.com",
    };
    expect(redirectToPublicOrigin({ ...https, forwardedHost: "sb.example.com" })).toBeNull();
    expect(redirectToPublicOrigin({ ...https, forwardedHost: "sb.example.com, proxy.internal" })).toBeNull();
    expect(redirectToPublicOrigin({ ...https, forwardedHost: null })?.toString()).toBe("https://sb.example.com/");
  });

  it("answers machine endpoints on any host", () => {
    for (const path of [
      "/api/health",
      "/api/metrics",
      "/api/events/codepipeline",
      "/api/github/webhooks",
      "/badges/acme/web-app.svg",
    ]) {
      expect(isMachinePath(path)).toBe(true);
      expect(at(`http://127.0.0.1:3000${path}`, "127.0.0.1:3000")).toBeNull();
    }
    expect(isMachinePath("/api/healthz")).toBe(false);
    expect(isMachinePath("/api/pipelines")).toBe(false);
  });

  it("does nothing when no public origin is configured", () => {
    expect(
      redirectToPublicOrigin({ url: new URL("http://a/"), host: "a", forwardedHost: null, publicOrigin: undefined }),
    ).toBeNull();
  });
});
