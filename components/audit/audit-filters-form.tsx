import Link from "next/link";
import { hasAuditFilters, type AuditFilters } from "@/lib/control/audit-filters";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditActionLabel } from "@/lib/control/audit-text";
import { BUTTON, INPUT, LINK } from "@/components/ui/styles";

function Text({
  name,
  label,
  value,
  placeholder,
  maxLength,
}: Readonly<{ name: string; label: string; value: string | undefined; placeholder?: string; maxLength: number }>) {
  return (
    <label className="flex flex-col text-sm">
      <span className="mb-1">{label}</span>
      <input
        name={name}
        defaultValue={value ?? ""}
        placeholder={placeholder}
        maxLength={maxLength}
        className={`${INPUT} w-40`}
      />
    </label>
  );
}

/** A GET form: the filters are the page's URL, so a filtered log is a link an auditor can be sent. */
export function AuditFiltersForm({ filters }: Readonly<{ filters: AuditFilters }>) {
  return (
    <form
      method="get"
      action="/audit"
      role="search"
      aria-label="Filter the audit log"
      className="mb-4 flex flex-wrap items-end gap-2"
    >
      <Text name="repository" label="Repository" value={filters.repository} placeholder="owner/name" maxLength={200} />
      <Text name="pipeline" label="Pipeline" value={filters.pipeline} placeholder="name or id" maxLength={64} />
      <Text name="actor" label="Person" value={filters.actor} placeholder="GitHub login" maxLength={39} />
      <label className="flex flex-col text-sm">
        <span className="mb-1">Action</span>
        <select name="action" defaultValue={filters.action ?? ""} className={INPUT}>
          <option value="">Any action</option>
          {AUDIT_ACTIONS.map((a) => (
            <option key={a} value={a}>
              {auditActionLabel(a)}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-sm">
        <span className="mb-1">Outcome</span>
        <select name="outcome" defaultValue={filters.outcome ?? ""} className={INPUT}>
          <option value="">Any outcome</option>
          {AUDIT_OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
      </label>
      <label className="flex flex-col text-sm">
        <span className="mb-1">From</span>
        <input type="date" name="from" defaultValue={filters.from?.slice(0, 10) ?? ""} className={INPUT} />
      </label>
      <label className="flex flex-col text-sm">
        <span className="mb-1">To</span>
        <input type="date" name="to" defaultValue={filters.to?.slice(0, 10) ?? ""} className={INPUT} />
      </label>
      <button type="submit" className={BUTTON}>
        Apply
      </button>
      {hasAuditFilters(filters) && (
        <Link href="/audit" className={`py-1.5 text-sm ${LINK}`}>
          Clear filters
        </Link>
      )}
    </form>
  );
}
