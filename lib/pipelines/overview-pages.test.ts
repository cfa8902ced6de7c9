import { describe, expect, it } from "vitest";
import { overviewPageHref, pagerItems } from "./overview-pages";

const labels = (page: number, count: number) =>
  pagerItems(page, count).map((i) => (i.kind === "gap" ? "…" : i.current ? `[${i.page}]` : String(i.page)));

describe("pagerItems", () => {
  it("offers the first, the last and two either side of the current page, with gaps between", () => {
    expect(labels(1, 20)).toEqual(["[1]", "2", "3", "…", "20"]);
    expect(labels(10, 20)).toEqual(["1", "…", "8", "9", "[10]", "11", "12", "…", "20"]);
    expect(labels(20, 20)).toEqual(["1", "…", "18", "19", "[20]"]);
    expect(labels(4, 20)).toEqual(["1", "2", "3", "[4]", "5", "6", "…", "20"]);
  });

  it("is one page when there is one", () => {
    expect(labels(1, 1)).toEqual(["[1]"]);
    expect(labels(2, 3)).toEqual(["1", "[2]", "3"]);
  });
});

describe("overviewPageHref", () => {
  it("keeps the filters and leaves page 1 out of the address", () => {
    expect(overviewPageHref({}, 1)).toBe("/");
    expect(overviewPageHref({}, 3)).toBe("/?page=3");
    expect(overviewPageHref({ q: "web & api", status: "failed" }, 2)).toBe("/?q=web+%26+api&status=failed&page=2");
  });
});
