import { describe, expect, it } from "vitest";
import { readBadgeRequest } from "./badge-request";

const read = (path: { owner: string; repo: string; pipeline?: string }, query = "") =>
  readBadgeRequest(path, new URLSearchParams(query));

describe("reading a badge address", () => {
  it("reads the repository badge: the name lower-cased for lookup, the default branch, the name as label", () => {
    expect(read({ owner: "Acme", repo: "Web-App.svg" })).toEqual({
      lookup: { fullName: "acme/web-app", pipeline: null, stage: null, branch: { kind: "default" } },
      label: "Web-App",
      style: "flat",
      key: "",
    });
    expect(read({ owner: "acme", repo: "web-app.svg" }, "branch=release&stage=Deploy").lookup).toEqual({
      fullName: "acme/web-app",
      pipeline: null,
      stage: null,
      branch: { kind: "named", branch: "release" },
    });
  });

  it("reads a pipeline badge: any branch unless one is named, a stage, and a label naming both", () => {
    const badge = read({ owner: "acme", repo: "web-app", pipeline: "Deploy-Prod.svg" }, "stage=Prod&key=sbk_x");
    expect(badge.lookup).toEqual({
      fullName: "acme/web-app",
      pipeline: "Deploy-Prod",
      stage: "Prod",
      branch: { kind: "any" },
    });
    expect(badge.label).toBe("Deploy-Prod · Prod");
    expect(badge.key).toBe("sbk_x");
    expect(read({ owner: "acme", repo: "web-app", pipeline: "p.svg" }, "branch=feature/x").lookup?.branch).toEqual({
      kind: "named",
      branch: "feature/x",
    });
    // Empty parameters are as good as absent.
    expect(read({ owner: "acme", repo: "web-app", pipeline: "p.svg" }, "stage=&branch=").lookup).toMatchObject({
      stage: null,
      branch: { kind: "any" },
    });
  });

  it("takes ?label= (empty draws the message alone) and shields.io's styles, falling back to flat", () => {
    expect(read({ owner: "acme", repo: "web-app.svg" }, "label=build").label).toBe("build");
    expect(read({ owner: "acme", repo: "web-app.svg" }, "label=").label).toBe("");
    for (const style of ["flat", "flat-square", "plastic", "for-the-badge", "social"] as const)
      expect(read({ owner: "acme", repo: "web-app.svg" }, `style=${style}`).style).toBe(style);
    expect(read({ owner: "acme", repo: "web-app.svg" }, "style=<b>").style).toBe("flat");
  });

  it("looks nothing up for an address that cannot name anything, but still draws its label", () => {
    const cases: [{ owner: string; repo: string; pipeline?: string }, string][] = [
      [{ owner: "acme", repo: "web-app" }, ""],
      [{ owner: "acme", repo: ".svg" }, ""],
      [{ owner: "-acme", repo: "web-app.svg" }, ""],
      [{ owner: "acme", repo: "web app.svg" }, ""],
      [{ owner: "acme", repo: "..svg" }, ""],
      [{ owner: "acme", repo: "web-app", pipeline: "Deploy" }, ""],
      [{ owner: "acme", repo: "web-app", pipeline: "bad\u0000name.svg" }, ""],
      [{ owner: "acme", repo: "web-app", pipeline: `${"p".repeat(101)}.svg` }, ""],
      [{ owner: "acme", repo: "web-app", pipeline: "p.svg" }, "stage=a%0Ab"],
      [{ owner: "acme", repo: "web-app.svg" }, `branch=${"b".repeat(256)}`],
    ];
    for (const [path, query] of cases) expect(read(path, query).lookup, JSON.stringify(path) + query).toBeNull();
    expect(read({ owner: "acme", repo: "web-app" }).label).toBe("web-app");
  });

  it("keeps labels to a badge's length without control characters, and drops an overlong key", () => {
    expect(read({ owner: "acme", repo: "x.svg" }, `label=${"é".repeat(150)}`).label).toBe("é".repeat(100));
    expect(read({ owner: "acme", repo: "x.svg" }, "label=a%00b%1Fc").label).toBe("abc");
    expect(read({ owner: "acme", repo: "x.svg" }, `key=${"k".repeat(201)}`).key).toBe("");
  });
});
