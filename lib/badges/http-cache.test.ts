import { describe, expect, it } from "vitest";
import { ifNoneMatchHits } from "./http-cache";

describe("If-None-Match", () => {
  const etag = '"abc"';
  it("hits the same tag, weak or strong, in a list, or *", () => {
    expect(ifNoneMatchHits('"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('W/"abc"', etag)).toBe(true);
    expect(ifNoneMatchHits('"x", "abc"', etag)).toBe(true);
    expect(ifNoneMatchHits("*", etag)).toBe(true);
  });
  it("misses another tag, an unquoted one, and no header", () => {
    expect(ifNoneMatchHits('"abd"', etag)).toBe(false);
    expect(ifNoneMatchHits("abc", etag)).toBe(false);
    expect(ifNoneMatchHits(null, etag)).toBe(false);
    expect(ifNoneMatchHits("", etag)).toBe(false);
  });
});
