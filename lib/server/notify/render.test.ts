import { createHmac, timingSafeEqual } from "node:crypto";
import { describe, expect, it } from "vitest";
import { buildNotice, type NoticeInput } from "@/lib/server/notify/notice";
import { escapeSlack, renderRequest } from "@/lib/server/notify/render";

const input: NoticeInput = {
  event: "approval.approved",
  occurredAt: new Date("2026-12-01T10:00:00Z"),
  repository: "acme/web-app",
  pipeline: { id: "p1", name: "web-app <!channel>" },
  executionId: "0b5e3c4e-1111-4222-8333-944455556666",
  stageName: "Prod",
  actionName: "Approve",
  actor: { kind: "person", login: "ada", name: "Ada & Co" },
  comment: "ship it <https://evil.example|click> & go",
  expiresAt: null,
  failure: null,
  baseUrl: "https://stageboard.example.com/",
};

/** What a receiver does: HMAC the raw body with the shared secret and compare in constant time. */
function verify(secret: string, rawBody: string, header: string | undefined): boolean {
  const expected = Buffer.from(`sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`);
  const given = Buffer.from(header ?? "");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

describe("rendering notifications", () => {
  it("escapes Slack's three characters and nothing else", () => {
    expect(escapeSlack("a & b < c > d *e*")).toBe("a &amp; b &lt; c &gt; d *e*");
  });

  it("Slack: text and a mrkdwn block naming the person, with untrusted text escaped and a deep link", () => {
    const notice = buildNotice(input);
    const { body } = renderRequest({ format: "slack", notice, deliveryId: "d1", secret: null, now: new Date() });
    const parsed = JSON.parse(body) as {
      text: string;
      blocks: { type: string; text: { type: string; text: string } }[];
    };
    const block = parsed.blocks[0]?.text;
    expect(block?.type).toBe("mrkdwn");
    expect(block?.text).toContain("Approved by @ada: web-app &lt;!channel&gt; / Prod / Approve");
    expect(block?.text).toContain("(Ada &amp; Co)");
    expect(block?.text).toContain("ship it &lt;https://evil.example|click&gt; &amp; go");
    expect(block?.text).toContain(
      "<https://stageboard.example.com/pipelines/p1/executions/0b5e3c4e-1111-4222-8333-944455556666|Open in Stageboard>",
    );
    // The only unescaped < in the message is the deep link's.
    expect(block?.text.match(/</g)).toHaveLength(1);
    expect(parsed.text).not.toMatch(/<!channel>/);
  });

  it("json: signed over the exact body, with the delivery id and timestamp in headers and body", () => {
    const notice = buildNotice({ ...input, event: "execution.failed", actor: null, failure: "Build failed" });
    const now = new Date("2026-12-01T10:00:05Z");
    const secret = "s3cret-s3cret-s3cret-s3cret";
    const { body, headers } = renderRequest({ format: "json", notice, deliveryId: "d2", secret, now });
    expect(verify(secret, body, headers["x-stageboard-signature-256"])).toBe(true);
    expect(verify("another-secret-another-secret", body, headers["x-stageboard-signature-256"])).toBe(false);
    expect(verify(secret, body.replace("Build failed", "Build passed"), headers["x-stageboard-signature-256"])).toBe(
      false,
    );
    expect(headers["x-stageboard-delivery"]).toBe("d2");
    expect(headers["x-stageboard-timestamp"]).toBe(String(now.getTime() / 1000));
    expect(JSON.parse(body)).toMatchObject({
      delivery: "d2",
      timestamp: now.getTime() / 1000,
      event: "execution.failed",
      repository: "acme/web-app",
      failure: "Build failed",
      link: "https://stageboard.example.com/pipelines/p1/executions/0b5e3c4e-1111-4222-8333-944455556666",
    });
  });

  it("a test notice links to the repository's notification settings", () => {
    const notice = buildNotice({ ...input, event: "ping", pipeline: null, executionId: null });
    expect(notice.link).toBe("https://stageboard.example.com/repositories/acme/web-app/settings/notifications");
  });
});
