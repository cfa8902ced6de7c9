import { describe, expect, it } from "vitest";
import { config } from "@/proxy";

// Badges are fetched by image proxies and READMEs with no session: the sign-in gate must not see them, and
// nothing else may slip past it by starting alike.
const gated = (pathname: string) => config.matcher.some((pattern) => new RegExp(`^${pattern}$`).test(pathname));

describe("the sign-in gate", () => {
  it("leaves badges alone", () => {
    expect(gated("/badges/acme/web-app.svg")).toBe(false);
    expect(gated("/badges/acme/web-app/deploy.svg")).toBe(false);
  });

  it("still gates pages and routes that only look alike", () => {
    expect(gated("/badges")).toBe(true);
    expect(gated("/badgesx/acme.svg")).toBe(true);
    expect(gated("/repositories/acme/web-app/settings")).toBe(true);
  });
});
