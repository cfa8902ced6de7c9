import { describe, expect, it } from "vitest";
import { uncoveredRepositories } from "./coverage";

describe("repositories with pipelines no installation reaches", () => {
  const repositories = ["acme/web-app", "Acme/API", "globex/storefront", "globex/inventory", "initech/tps-reports"];

  it("an installation on all of an account's repositories covers every one of them, whatever the case", () => {
    expect(uncoveredRepositories(repositories, [{ account: "ACME", selection: "all", repositories: null }])).toEqual([
      "globex/inventory",
      "globex/storefront",
      "initech/tps-reports",
    ]);
  });

  it("an installation on selected repositories covers only those", () => {
    expect(
      uncoveredRepositories(repositories, [
        { account: "acme", selection: "all", repositories: null },
        { account: "globex", selection: "selected", repositories: ["Globex/Storefront"] },
      ]),
    ).toEqual(["globex/inventory", "initech/tps-reports"]);
  });

  it("with no installation nothing is covered, each repository listed once", () => {
    expect(uncoveredRepositories(["acme/api", "ACME/api"], [])).toEqual(["acme/api"]);
  });
});
