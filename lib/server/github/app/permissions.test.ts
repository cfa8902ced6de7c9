import { describe, expect, it } from "vitest";
import { permissionsFromText, permissionsToText, readPermissions, unapprovedPermissions } from "./permissions";

describe("permissions an installation has not approved", () => {
  const requested = { checks: "write", statuses: "write", contents: "read", metadata: "read" } as const;

  it("is nothing when the installation holds each at the level asked for, or higher", () => {
    expect(unapprovedPermissions(requested, { ...requested })).toEqual([]);
    expect(
      unapprovedPermissions(requested, { checks: "admin", statuses: "write", contents: "write", metadata: "read" }),
    ).toEqual([]);
  });

  it("lists what is missing and what is held lower, with what is held, in name order", () => {
    expect(unapprovedPermissions(requested, { checks: "read", metadata: "read", contents: "read" })).toEqual([
      { name: "checks", requested: "write", granted: "read" },
      { name: "statuses", requested: "write", granted: null },
    ]);
  });

  it("ignores what the installation holds beyond the request", () => {
    expect(unapprovedPermissions({ metadata: "read" }, { metadata: "read", issues: "write" })).toEqual([]);
  });
});

describe("reading and storing permissions", () => {
  it("keeps only GitHub's forms from an answer", () => {
    expect(readPermissions({ checks: "write", "bad name": "read", issues: "owner", x: 1 })).toEqual({
      checks: "write",
    });
    expect(readPermissions(null)).toEqual({});
    expect(readPermissions(["checks"])).toEqual({});
  });

  it("round-trips through the text form the cache stores", () => {
    const permissions = { statuses: "write", checks: "write", metadata: "read" } as const;
    expect(permissionsToText(permissions)).toEqual(["checks:write", "metadata:read", "statuses:write"]);
    expect(permissionsFromText(permissionsToText(permissions))).toEqual(permissions);
  });
});
