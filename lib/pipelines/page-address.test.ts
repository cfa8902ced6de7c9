import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkPageAddress, PAGE_ADDRESSES } from "@/lib/pipelines/page-address";

const check = (url: string) => {
  const parsed = new URL(url, "http://localhost");
  return checkPageAddress(parsed.pathname, parsed.searchParams);
};
const long = (n: number) => "x".repeat(n);

describe("checkPageAddress", () => {
  it("lets ordinary page addresses through", () => {
    for (const url of [
      "/?q=web&status=failed",
      "/pipelines/cmx1?execution=1ea4ca98-6516-4778-bcf1-770ba8201b6e",
      "/pipelines/cmx1/executions?branch=main&commit=ABC123&cursor=abc",
      "/pipelines/cmx1/executions/1ea4ca98-6516-4778-bcf1-770ba8201b6e",
      "/repositories/acme/web-app",
      "/login?callbackUrl=%2F&error=OAuthCallback",
      // What the schemas ignore (an unknown status, a commit that is no hex) stays ignored.
      "/?status=bogus&all=2",
      "/pipelines/cmx1/executions?commit=zz",
    ])
      expect(check(url), url).toEqual({ kind: "ok" });
  });

  it("rejects over-long filters and ids, naming what does not fit", () => {
    const cases = [
      `/?q=${long(101)}`,
      `/pipelines/cmx1?execution=${long(101)}`,
      `/pipelines/cmx1/executions?cursor=${long(201)}`,
      `/pipelines/cmx1/executions?branch=${long(256)}`,
      `/pipelines/${long(65)}`,
      `/pipelines/${long(65)}/executions`,
      `/pipelines/cmx1/executions/${long(101)}`,
      "/repositories/acme/%3Cb%3E",
      `/repositories/${long(101)}/web`,
      "/insights?period=14",
      "/insights?period=custom&from=2026-11-01",
      "/pipelines/cmx1/insights?period=custom&from=yesterday&to=2026-11-02",
      "/repositories/acme/web/insights?period=365",
    ];
    for (const url of cases)
      expect(check(url), url).toMatchObject({ kind: "rejected", message: expect.stringMatching(/\(.+\)/) as string });
  });

  it("lets the insight pages' periods through", () => {
    for (const url of ["/insights", "/insights?period=7", "/repositories/acme/web/insights?period=90"])
      expect(check(url), url).toEqual({ kind: "ok" });
    expect(check("/pipelines/cmx1/insights?period=custom&from=2026-11-01&to=2026-11-30")).toEqual({ kind: "ok" });
  });

  it("reads the first value of a repeated parameter, as the pages do", () => {
    expect(check(`/?q=ok&q=${long(200)}`)).toEqual({ kind: "ok" });
    expect(check(`/?q=${long(200)}&q=ok`)).toMatchObject({ kind: "rejected" });
  });

  it("covers every page of app/ that takes params or filters", () => {
    const pages: string[] = [];
    const walk = (dir: string, segments: string[]) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name]);
        else if (entry.name === "page.tsx")
          pages.push(`/${segments.filter((s) => !/^\(.*\)$/.test(s)).join("/")}`.replace(/\[[^\]]+\]/g, "x"));
      }
    };
    walk(path.resolve("app"), []);
    const uncovered = pages.filter((page) => page !== "/login" && !PAGE_ADDRESSES.some((a) => a.pattern.test(page)));
    expect(uncovered).toEqual([]);
  });
});
