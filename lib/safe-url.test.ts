import { describe, expect, it } from "vitest";
import { safeHttpUrl } from "./safe-url";

describe("safeHttpUrl", () => {
  it("keeps absolute http and https URLs", () => {
    expect(safeHttpUrl("https://console.aws.amazon.com/codebuild/home#/builds/x")).toBe(
      "https://console.aws.amazon.com/codebuild/home#/builds/x",
    );
    expect(safeHttpUrl(" http://example.com/a?b=1 ")).toBe("http://example.com/a?b=1");
  });

  it("refuses script, data and other schemes, whatever their case or padding", () => {
    for (const bad of [
      "javascript:alert(1)",
      "JaVaScRiPt:alert(1)",
      "\u0000javascript:alert(1)",
      "data:text/html,<b>x</b>",
      "vbscript:x",
      "file:///etc/passwd",
      "ftp://host/x",
    ]) {
      expect(safeHttpUrl(bad)).toBeNull();
    }
  });

  it("refuses relative, protocol-relative, empty and non-string values", () => {
    for (const bad of [
      "/internal",
      "//evil.example/x",
      "",
      "   ",
      "example.com",
      null,
      undefined,
      42,
      { href: "https://x" },
    ]) {
      expect(safeHttpUrl(bad)).toBeNull();
    }
  });

  it("refuses URLs carrying credentials and absurdly long ones", () => {
    expect(safeHttpUrl("https://user:pass@example.com/")).toBeNull();
    expect(safeHttpUrl(`https://example.com/${"a".repeat(3000)}`)).toBeNull();
  });
});
