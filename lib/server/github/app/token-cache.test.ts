import { describe, expect, it } from "vitest";
import { createTokenCache, TOKEN_TTL_MS } from "./token-cache";

describe("the shared installation-token cache", () => {
  it("hands a token back until a minute before GitHub's hour runs out, then forgets it", () => {
    let now = 0;
    const cache = createTokenCache(() => now);
    cache.set("42", "ghs_token|…");
    now = TOKEN_TTL_MS - 1;
    expect(cache.get("42")).toBe("ghs_token|…");
    now = TOKEN_TTL_MS;
    expect(cache.get("42")).toBe("");
    expect(TOKEN_TTL_MS).toBe(59 * 60 * 1000);
  });

  it("forgets every token of one installation, narrowed ones included, and nothing else", () => {
    const cache = createTokenCache(() => 0);
    cache.set("42", "a");
    cache.set("42|1,2", "b");
    cache.set("420", "c");
    cache.forgetInstallation(42);
    expect([cache.get("42"), cache.get("42|1,2"), cache.get("420")]).toEqual(["", "", "c"]);
  });
});
