import Link from "next/link";
import { OVERVIEW_STATUSES } from "@/lib/pipelines/overview-statuses";
import type { OverviewFilters as Filters } from "@/lib/pipelines/schemas";
import { BUTTON, INPUT, LINK } from "@/components/ui/styles";

const LABELS: Record<(typeof OVERVIEW_STATUSES)[number], string> = {
  attention: "Needs attention",
  failed: "Failed",
  running: "Running",
  succeeded: "Succeeded",
  approval: "Waiting for approval",
  stopped: "Stopped or superseded",
  none: "Never ran",
};

/** A plain GET form: filters live in the URL (deep links) and work before any script loads. */
export function OverviewFilters({ filters }: Readonly<{ filters: Filters }>) {
  return (
    <form method="get" role="search" aria-label="Filter pipelines" className="flex flex-wrap items-end gap-2">
      <label className="flex flex-col text-sm">
        <span className="mb-1">Search</span>
        <input
          type="search"
          name="q"
          defaultValue={filters.q ?? ""}
          placeholder="Repository or pipeline"
          maxLength={100}
          className={INPUT}
        />
      </label>
      <label className="flex flex-col text-sm">
        <span className="mb-1">Status</span>
        <select name="status" defaultValue={filters.status ?? ""} className={INPUT}>
          <option value="">Any status</option>
          {OVERVIEW_STATUSES.map((s) => (
            <option key={s} value={s}>
              {LABELS[s]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className={BUTTON}>
        Apply
      </button>
      {(filters.q || filters.status) && (
        <Link href="/" className={`py-1.5 text-sm ${LINK}`}>
          Clear filters
        </Link>
      )}
    </form>
  );
}
