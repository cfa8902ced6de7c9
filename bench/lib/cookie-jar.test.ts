import { describe, expect, it } from "vitest";
import { applySetCookies, cookieHeader } from "./cookie-jar";

const NOW = Date.parse("2026-12-02T12:00:00Z");

describe("applySetCookies", () => {
  it("keeps each cookie's value without its attributes, a later one of a name replacing the earlier", () => {
    const jar = applySetCookies(
      new Map(),
      [
        "next-auth.csrf-token=abc%7Cdef; Path=/; HttpOnly; SameSite=Lax",
        "next-auth.state=s1; Path=/; Max-Age=900; HttpOnly",
        "next-auth.state=s2; Path=/; Max-Age=900; HttpOnly",
      ],
      NOW,
    );
    expect(Object.fromEntries(jar)).toEqual({ "next-auth.csrf-token": "abc%7Cdef", "next-auth.state": "s2" });
  });

  it("removes a cookie that is emptied, expired by Max-Age or by a past Expires date", () => {
    const jar = applySetCookies(
      new Map([
        ["a", "1"],
        ["b", "2"],
        ["c", "3"],
        ["d", "4"],
      ]),
      [
        "a=; Path=/",
        "b=x; Max-Age=0",
        "c=x; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        "d=5; Expires=Thu, 01 Jan 2099 00:00:00 GMT",
      ],
      NOW,
    );
    expect(Object.fromEntries(jar)).toEqual({ d: "5" });
  });

  it("ignores a header without a name and leaves the jar it was given alone", () => {
    const before = new Map([["keep", "1"]]);
    const after = applySetCookies(before, ["=nameless; Path=/", "garbage"], NOW);
    expect(Object.fromEntries(after)).toEqual({ keep: "1" });
    expect(applySetCookies(before, ["keep=2"], NOW).get("keep")).toBe("2");
    expect(before.get("keep")).toBe("1");
  });
});

describe("cookieHeader", () => {
  it("joins name=value pairs as a browser sends them", () => {
    expect(
      cookieHeader(
        new Map([
          ["x", "1"],
          ["y", "2"],
        ]),
      ),
    ).toBe("x=1; y=2");
  });
});
