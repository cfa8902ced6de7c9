import { describe, expect, it, vi } from "vitest";
import { everyPage, type ListPage } from "./list-pages";

vi.mock("server-only", () => ({}));

const link = (url: string) => `<${url}>; rel="next", <https://api.example.com/last>; rel="last"`;
const invalid = (message: string) => new Error(message);

describe("everyPage", () => {
  it("collects an object-wrapped list page by page, handing each fetch the link GitHub gave", async () => {
    const seen: [number, string | undefined][] = [];
    const pages: ListPage[] = [
      { body: { total_count: 3, check_runs: [1, 2] }, link: link("https://api.example.com/p2") },
      { body: { total_count: 3, check_runs: [3] }, link: null },
    ];
    const items = await everyPage<number>({
      key: "check_runs",
      maxPages: 10,
      fetchPage: (page, next) => {
        seen.push([page, next]);
        return Promise.resolve(pages[page - 1]!);
      },
      invalid,
    });
    expect(items).toEqual([1, 2, 3]);
    expect(seen).toEqual([
      [1, undefined],
      [2, "https://api.example.com/p2"],
    ]);
  });

  it("reads bare lists, stops at maxPages, and never follows a link to another host", async () => {
    const endless = (url: string) => () => Promise.resolve({ body: ["x"], link: link(url) });
    const capped = await everyPage({
      key: null,
      maxPages: 3,
      fetchPage: endless("https://api.example.com/n"),
      invalid,
    });
    expect(capped).toHaveLength(3);
    const elsewhere = await everyPage({
      key: null,
      maxPages: 3,
      fetchPage: endless("https://evil.example.net/n"),
      origin: "https://api.example.com",
      invalid,
    });
    expect(elsewhere).toHaveLength(1);
  });

  it("fails the whole list on a page of the wrong shape", async () => {
    const page = (body: unknown) => () => Promise.resolve({ body, link: null });
    await expect(
      everyPage({ key: "statuses", maxPages: 1, fetchPage: page({ total_count: 0 }), invalid }),
    ).rejects.toThrow("GitHub sent a page without statuses");
    await expect(everyPage({ key: null, maxPages: 1, fetchPage: page({ items: [] }), invalid })).rejects.toThrow(
      "not a list",
    );
  });
});
