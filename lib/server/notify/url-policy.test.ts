import { describe, expect, it } from "vitest";
import { addressRefusal, checkWebhookUrl, classifyAddress, urlHint } from "@/lib/server/notify/url-policy";

const strict = { allowPrivate: false };
const relaxed = { allowPrivate: true };

describe("webhook URL policy", () => {
  it("classifies addresses, IPv4-mapped IPv6 ones as their IPv4 address", () => {
    expect(classifyAddress("8.8.8.8")).toBe("public");
    expect(classifyAddress("2606:4700::1111")).toBe("public");
    expect(classifyAddress("127.0.0.1")).toBe("loopback");
    expect(classifyAddress("127.8.9.10")).toBe("loopback");
    expect(classifyAddress("::1")).toBe("loopback");
    for (const ip of ["10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "100.64.0.1", "fd00::1"])
      expect(classifyAddress(ip), ip).toBe("private");
    // Cloud metadata, link-local, unspecified, multicast, documentation ranges: never.
    for (const ip of ["169.254.169.254", "0.0.0.0", "224.0.0.1", "255.255.255.255", "fe80::1", "::", "ff02::1"])
      expect(classifyAddress(ip), ip).toBe("forbidden");
    expect(classifyAddress("::ffff:169.254.169.254")).toBe("forbidden");
    expect(classifyAddress("::ffff:7f00:1")).toBe("loopback");
    expect(classifyAddress("::ffff:a9fe:a9fe")).toBe("forbidden");
    expect(classifyAddress("::ffff:808:808")).toBe("public");
    // Forms that embed an IPv4 address some other way are refused rather than decoded.
    expect(classifyAddress("2002:a9fe:a9fe::1")).toBe("forbidden");
    expect(classifyAddress("not an address")).toBe("forbidden");
  });

  it("sends to public https only, unless private receivers are allowed", () => {
    expect(checkWebhookUrl("https://hooks.slack.com/services/T0/B0/xyz", strict)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://hooks.example.com/x", strict)).toEqual({
      ok: false,
      reason: "must be an https URL",
    });
    expect(checkWebhookUrl("ftp://example.com/x", relaxed)).toEqual({ ok: false, reason: "must be an https URL" });
    expect(checkWebhookUrl("https://127.0.0.1:8443/x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://10.0.0.5/x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://[::1]/x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://[::ffff:127.0.0.1]/x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://localhost/x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://metadata.google.internal/x", strict)).toMatchObject({ ok: false });
    // Allowed: private and loopback receivers, plain http only to them.
    expect(checkWebhookUrl("http://127.0.0.1:9000/hook", relaxed)).toMatchObject({ ok: true });
    expect(checkWebhookUrl("http://10.0.0.5/hook", relaxed)).toMatchObject({ ok: true });
    expect(addressRefusal("8.8.8.8", "http:", relaxed)).toMatch(/plain http/);
    // Metadata stays refused whatever the setting.
    expect(checkWebhookUrl("http://169.254.169.254/latest/meta-data", relaxed)).toMatchObject({ ok: false });
  });

  it("refuses credentials and fragments in the URL, and garbage", () => {
    expect(checkWebhookUrl("https://user:pass@example.com/x", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("https://example.com/x#frag", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("javascript:alert(1)", strict)).toMatchObject({ ok: false });
    expect(checkWebhookUrl("not a url", strict)).toEqual({ ok: false, reason: "is not a URL" });
  });

  it("shows only the origin and the last characters of a URL", () => {
    const hint = urlHint(new URL("https://hooks.slack.com/services/T000/B000/abcdefghijklmnopWXYZ"));
    expect(hint).toBe("https://hooks.slack.com/…WXYZ");
    expect(hint).not.toContain("abcdefgh");
    expect(urlHint(new URL("https://example.com/"))).toBe("https://example.com");
    expect(urlHint(new URL("https://example.com/hook"))).toBe("https://example.com/…");
  });
});
