import { describe, expect, it } from "vitest";
import {
  intersectPermissions,
  parsePermissions,
  permissionsWithin,
  roleFromPermissions,
  withMetadata,
} from "./app-permissions";

describe("App permissions", () => {
  it("reads {name: level} and refuses what GitHub's description would not allow", () => {
    expect(parsePermissions({ checks: "write", repository_projects: "admin" })).toEqual({
      checks: "write",
      repository_projects: "admin",
    });
    for (const bad of [
      { checks: "admin" },
      { workflows: "read" },
      { checks: "owner" },
      { "Checks!": "read" },
      [],
      null,
    ]) {
      expect(parsePermissions(bad)).toBeNull();
    }
  });

  it("intersects at the lower level and checks a request against a grant", () => {
    const granted = { checks: "write", contents: "read", metadata: "read" } as const;
    expect(intersectPermissions({ checks: "read", contents: "write", issues: "write" }, granted)).toEqual({
      checks: "read",
      contents: "read",
    });
    expect(permissionsWithin({ checks: "read" }, granted)).toBe(true);
    expect(permissionsWithin({ contents: "write" }, granted)).toBe(false);
    expect(permissionsWithin({ deployments: "read" }, granted)).toBe(false);
  });

  it("always includes metadata, and maps a grant to the role a repository object reports", () => {
    expect(withMetadata({ checks: "write" })).toEqual({ checks: "write", metadata: "read" });
    expect(withMetadata({ metadata: "write" })).toEqual({ metadata: "write" });
    expect(roleFromPermissions({ administration: "write" })).toBe("admin");
    expect(roleFromPermissions({ contents: "write" })).toBe("write");
    expect(roleFromPermissions({ checks: "write" })).toBe("read");
  });
});
