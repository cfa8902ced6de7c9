import { hasAuditFilters, type AuditFilters } from "@/lib/control/audit-filters";
import { AUDIT_ACTIONS, AUDIT_OUTCOMES, auditActionLabel } from "@/lib/control/audit-text";
import { FilterForm, FilterInput, FilterSelect } from "@/components/ui/filter-form";

const ACTIONS = AUDIT_ACTIONS.map((a) => [a, auditActionLabel(a)] as const);
const OUTCOMES = AUDIT_OUTCOMES.map((o) => [o, o] as const);

/** A GET form: the filters are the page's URL, so a filtered log is a link an auditor can be sent. */
export function AuditFiltersForm({ filters }: Readonly<{ filters: AuditFilters }>) {
  return (
    <FilterForm
      label="Filter the audit log"
      action="/audit"
      clearHref="/audit"
      active={hasAuditFilters(filters)}
      className="mb-4"
    >
      {(
        [
          ["repository", "Repository", filters.repository, "owner/name", 200],
          ["pipeline", "Pipeline", filters.pipeline, "name or id", 64],
          ["actor", "Person", filters.actor, "GitHub login", 39],
        ] as const
      ).map(([name, label, value, placeholder, maxLength]) => (
        <FilterInput
          key={name}
          name={name}
          label={label}
          defaultValue={value ?? ""}
          placeholder={placeholder}
          maxLength={maxLength}
          className="w-40"
        />
      ))}
      <FilterSelect name="action" label="Action" value={filters.action} any="Any action" options={ACTIONS} />
      <FilterSelect name="outcome" label="Outcome" value={filters.outcome} any="Any outcome" options={OUTCOMES} />
      <FilterInput type="date" name="from" label="From" defaultValue={filters.from?.slice(0, 10) ?? ""} />
      <FilterInput type="date" name="to" label="To" defaultValue={filters.to?.slice(0, 10) ?? ""} />
    </FilterForm>
  );
}
