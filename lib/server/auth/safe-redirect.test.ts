import { describe, expect, it } from "vitest";
import { safeRedirect } from "@/lib/server/auth/safe-redirect";

const base = "https://stageboard.example.com";

describe("safeRedirect", () => {
  it.each([
    ["/repos/acme/web-app", `${base}/repos/acme/web-app`],
    ["/pipelines/x?tab=history#top", `${base}/pipelines/x?tab=history#top`],
    [`${base}/settings`, `${base}/settings`],
  ])("keeps same-origin %s", (target, expected) => {
    expect(safeRedirect(target, base)).toBe(expected);
  });

  it.each([
    "https://evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "data:text/html,hi",
    "http://stageboard.example.com/downgrade",
    "https://stageboard.example.com.evil.example/",
    " https://evil.example",
    "/%0d%0aSet-Cookie:x=y".replace("%0d%0a", "\r\n"),
  ])("sends %s home", (target) => {
    expect(safeRedirect(target, base)).toBe(`${base}/`);
  });

  it("treats missing targets as home", () => {
    expect(safeRedirect(undefined, base)).toBe(`${base}/`);
    expect(safeRedirect("", base)).toBe(`${base}/`);
  });
});
