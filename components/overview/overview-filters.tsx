import { OVERVIEW_STATUSES } from "@/lib/pipelines/overview-statuses";
import type { OverviewFilters as Filters } from "@/lib/pipelines/schemas";
import { FilterForm, FilterInput, FilterSelect } from "@/components/ui/filter-form";

const LABELS: Record<(typeof OVERVIEW_STATUSES)[number], string> = {
  attention: "Needs attention",
  failed: "Failed",
  running: "Running",
  succeeded: "Succeeded",
  approval: "Waiting for approval",
  stopped: "Stopped or superseded",
  none: "Never ran",
};
const STATUSES = OVERVIEW_STATUSES.map((s) => [s, LABELS[s]] as const);

/** A plain GET form: filters live in the URL (deep links) and work before any script loads. */
export function OverviewFilters({ filters }: Readonly<{ filters: Filters }>) {
  return (
    <FilterForm label="Filter pipelines" clearHref="/" active={Boolean(filters.q || filters.status)}>
      <FilterInput
        type="search"
        name="q"
        label="Search"
        defaultValue={filters.q ?? ""}
        placeholder="Repository or pipeline"
        maxLength={100}
      />
      <FilterSelect name="status" label="Status" value={filters.status} any="Any status" options={STATUSES} />
    </FilterForm>
  );
}
