import Link from "next/link";
import { auditExportHref, auditPageHref, type AuditFilters } from "@/lib/control/audit-filters";
import type { AuditEntryView } from "@/lib/control/audit-text";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { LINK, MUTED } from "@/components/ui/styles";
import { AuditFiltersForm } from "./audit-filters-form";
import { AuditTable } from "./audit-table";

/** /audit: the log this viewer may read (everything for administrators, their repositories' for readers). */
export function AuditView({
  entries,
  nextCursor,
  filters,
  githubUrl,
  scope,
}: Readonly<{
  entries: AuditEntryView[];
  nextCursor: string | null;
  filters: AuditFilters;
  githubUrl: string;
  /** What the viewer reads: "every repository" (administrators) or "repositories you can read". */
  scope: string;
}>) {
  const crumbs = filters.repository
    ? [
        { label: "Repositories", href: "/" },
        { label: filters.repository, href: `/repositories/${filters.repository}` },
      ]
    : [{ label: "Repositories", href: "/" }];
  return (
    <div>
      <PageHeader crumbs={crumbs} title={filters.repository ? `Audit log: ${filters.repository}` : "Audit log"}>
        <div className="flex flex-wrap gap-3 text-sm">
          <a href={auditExportHref(filters, "csv")} className={LINK} download>
            Export CSV
          </a>
          <a href={auditExportHref(filters, "json")} className={LINK} download>
            Export JSON
          </a>
        </div>
      </PageHeader>
      <p className={`mb-4 text-sm ${MUTED}`}>
        Every decision, command, refusal and policy change on {scope}, newest first. Entries cannot be changed or
        deleted; the exports hold every entry the filters match.
      </p>
      <AuditFiltersForm filters={filters} />
      {entries.length === 0 ? (
        <EmptyState title={filters.cursor ? "No older entries" : "No entries match"}>
          {filters.cursor
            ? "You reached the oldest entry."
            : "Decisions, commands and policy changes appear here as people make them."}
        </EmptyState>
      ) : (
        <AuditTable entries={entries} githubUrl={githubUrl} caption="Audit log entries, newest first" />
      )}
      <nav aria-label="Pages" className="mt-4 flex justify-between text-sm">
        {filters.cursor ? (
          <Link href={auditPageHref(filters)} className={LINK}>
            ← Newest
          </Link>
        ) : (
          <span />
        )}
        {nextCursor && (
          <Link href={auditPageHref(filters, nextCursor)} className={LINK} rel="next">
            Older →
          </Link>
        )}
      </nav>
    </div>
  );
}
