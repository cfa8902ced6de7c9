import { describe, expect, it } from "vitest";
import { checkManifest } from "./manifest";

const VALID = {
  name: "Stageboard",
  url: "https://stageboard.example",
  hook_attributes: { url: "https://stageboard.example/api/github/webhook" },
  redirect_url: "https://stageboard.example/created",
  callback_urls: ["https://stageboard.example/callback"],
  default_permissions: { checks: "write" },
  default_events: ["check_run", "check_run"],
};

describe("checkManifest", () => {
  it("reads a manifest, with the name as edited on the page and events once each", () => {
    const checked = checkManifest(JSON.stringify(VALID), "  Renamed  ");
    expect(checked).toEqual({
      kind: "ok",
      manifest: {
        name: "Renamed",
        url: "https://stageboard.example",
        description: null,
        hookUrl: "https://stageboard.example/api/github/webhook",
        hookActive: true,
        redirectUrl: "https://stageboard.example/created",
        callbackUrls: ["https://stageboard.example/callback"],
        setupUrl: null,
        public: false,
        permissions: { checks: "write" },
        events: ["check_run"],
      },
    });
  });

  it("needs a hook URL only for an active hook", () => {
    const inactive = checkManifest(JSON.stringify({ ...VALID, hook_attributes: { active: false } }));
    expect(inactive).toMatchObject({ kind: "ok", manifest: { hookActive: false, hookUrl: null } });
    const missing = checkManifest(JSON.stringify({ ...VALID, hook_attributes: {} }));
    expect(missing).toEqual({ kind: "invalid", problems: ["hook_attributes.url is required for an active webhook"] });
  });

  it("lists every problem of a bad manifest", () => {
    const checked = checkManifest(
      JSON.stringify({
        name: "",
        url: "ftp://x",
        callback_urls: Array.from({ length: 11 }, (_, i) => `https://x.example/${i}`),
        default_permissions: { checks: "admin" },
        default_events: ["Push!"],
        public: "yes",
        setup_url: "javascript:alert(1)",
      }),
    );
    expect(checked.kind === "invalid" ? checked.problems : []).toEqual([
      "name must be 1 to 34 characters",
      "url is required and must be an http(s) URL",
      "at most 10 callback_urls",
      "default_permissions must map permission names to read, write or admin",
      "default_events must be a list of event names",
      "public must be a boolean",
      "setup_url must be an http(s) URL",
    ]);
    expect(checkManifest("[]")).toEqual({ kind: "invalid", problems: ["the manifest must be a JSON object"] });
  });
});
