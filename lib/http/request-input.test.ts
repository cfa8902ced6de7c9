import { describe, expect, it } from "vitest";
import { checkRequestUrl, decodeSegment, rejectedUrlResponse, URL_LIMITS } from "@/lib/http/request-input";

describe("checkRequestUrl", () => {
  it("accepts ordinary addresses, escapes included", () => {
    expect(checkRequestUrl({ pathname: "/repositories/acme/web-app", search: "?q=web" })).toEqual({ kind: "ok" });
    expect(checkRequestUrl({ pathname: "/pipelines/abc/executions/a%2Fb%20c", search: "" })).toEqual({ kind: "ok" });
  });

  it("rejects malformed % escapes in the path", () => {
    for (const pathname of ["/pipelines/%", "/pipelines/%zz", "/repositories/%E0%A4%A/x", "/a/%%"])
      expect(checkRequestUrl({ pathname, search: "" })).toMatchObject({ kind: "rejected", message: /malformed/ });
  });

  it("rejects an over-long path, path segment or query string", () => {
    const segment = "x".repeat(URL_LIMITS.segmentChars + 1);
    expect(checkRequestUrl({ pathname: `/pipelines/${segment}`, search: "" })).toMatchObject({ kind: "rejected" });
    const long = `/${"a/".repeat(URL_LIMITS.pathChars)}`;
    expect(checkRequestUrl({ pathname: long, search: "" })).toMatchObject({ kind: "rejected" });
    const search = `?q=${"x".repeat(URL_LIMITS.queryChars)}`;
    expect(checkRequestUrl({ pathname: "/", search })).toMatchObject({ kind: "rejected", message: /query/ });
  });

  it("decodes a segment, or says it cannot", () => {
    expect(decodeSegment("a%2Fb")).toBe("a/b");
    expect(decodeSegment("%E0%A4%A")).toBeNull();
  });

  it("answers 400: JSON for the API, an escaped page for people", async () => {
    const api = rejectedUrlResponse({ kind: "api", message: "bad" });
    expect(api.status).toBe(400);
    expect(await api.json()).toEqual({ error: { code: "bad_request", message: "bad" } });
    const page = rejectedUrlResponse({ kind: "page", message: "<b>" });
    expect(page.status).toBe(400);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(await page.text()).toContain("&#60;b&#62;");
  });
});
