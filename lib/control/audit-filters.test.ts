import { describe, expect, it } from "vitest";
import { auditApiPath, auditExportHref, auditFiltersSchema, auditPageHref, hasAuditFilters } from "./audit-filters";

describe("audit filters", () => {
  it("export links carry the page's filters and the format, never its cursor", () => {
    const filters = auditFiltersSchema.parse({
      repository: "acme/web-app",
      actor: "ada",
      outcome: "refused",
      from: "2026-11-01",
      cursor: "abc",
    });
    expect(auditExportHref(filters, "csv")).toBe(
      "/api/audit?repository=acme%2Fweb-app&actor=ada&outcome=refused&from=2026-11-01&format=csv",
    );
    expect(auditExportHref(filters, "json")).toMatch(/&format=json$/);
    expect(auditApiPath(filters)).toBe(
      "/api/audit?repository=acme%2Fweb-app&actor=ada&outcome=refused&from=2026-11-01&cursor=abc",
    );
  });

  it("page links drop empty filters and start a new filter set from the first page", () => {
    expect(auditPageHref({})).toBe("/audit");
    expect(auditPageHref({ pipeline: "p1", cursor: "old" }, "next")).toBe("/audit?pipeline=p1&cursor=next");
    expect(auditPageHref({ pipeline: "p1", cursor: "old" })).toBe("/audit?pipeline=p1");
  });

  it("reads the URL leniently: blanks vanish, a bad date is dropped, control characters are refused", () => {
    expect(auditFiltersSchema.parse({ actor: "  ", from: "yesterday", to: "2026-12-01" })).toEqual({
      actor: undefined,
      from: undefined,
      to: "2026-12-01",
      repository: undefined,
      pipeline: undefined,
      action: undefined,
      outcome: undefined,
      cursor: undefined,
    });
    expect(auditFiltersSchema.safeParse({ actor: "a\u0000b" }).success).toBe(false);
    expect(hasAuditFilters({ cursor: "x" })).toBe(false);
    expect(hasAuditFilters({ action: "approve" })).toBe(true);
  });
});
