import { Webhooks } from "@octokit/webhooks";
import { describe, expect, it } from "vitest";
import { signatureHeaders } from "./signature";

describe("delivery signatures", () => {
  it("matches GitHub's documented test vector, and @octokit/webhooks accepts it", async () => {
    const headers = signatureHeaders("It's a Secret to Everybody", "Hello, World!");
    expect(headers["X-Hub-Signature-256"]).toBe(
      "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17",
    );
    expect(headers["X-Hub-Signature"]).toMatch(/^sha1=[0-9a-f]{40}$/);
    const webhooks = new Webhooks({ secret: "It's a Secret to Everybody" });
    expect(await webhooks.verify("Hello, World!", headers["X-Hub-Signature-256"] ?? "")).toBe(true);
    expect(await webhooks.verify("Hello, World?", headers["X-Hub-Signature-256"] ?? "")).toBe(false);
  });

  it("sends no signature for an App without a secret", () => {
    expect(signatureHeaders(null, "{}")).toEqual({});
  });
});
