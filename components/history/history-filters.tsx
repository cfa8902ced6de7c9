import Link from "next/link";
import type { HistoryFilters as Filters } from "@/lib/pipelines/schemas";
import { BUTTON, INPUT, LINK } from "@/components/ui/styles";

type Options = { statuses: string[]; branches: string[]; triggers: string[] };

function Select({
  name,
  label,
  value,
  options,
  any,
}: Readonly<{ name: string; label: string; value: string | undefined; options: string[]; any: string }>) {
  const all = value && !options.includes(value) ? [value, ...options] : options;
  return (
    <label className="flex flex-col text-sm">
      <span className="mb-1">{label}</span>
      <select name={name} defaultValue={value ?? ""} className={INPUT}>
        <option value="">{any}</option>
        {all.map((o) => (
          <option key={o} value={o}>
            {o}
          </option>
        ))}
      </select>
    </label>
  );
}

/** GET form: filters are URL parameters, and applying them starts again from the first page. */
export function HistoryFilters({
  pipelineId,
  filters,
  options,
}: Readonly<{ pipelineId: string; filters: Filters; options: Options }>) {
  const active = filters.status || filters.branch || filters.commit || filters.trigger;
  return (
    <form
      method="get"
      action={`/pipelines/${pipelineId}/executions`}
      role="search"
      aria-label="Filter executions"
      className="mb-4 flex flex-wrap items-end gap-2"
    >
      <Select name="status" label="Status" value={filters.status} options={options.statuses} any="Any status" />
      <Select name="branch" label="Branch" value={filters.branch} options={options.branches} any="Any branch" />
      <Select name="trigger" label="Trigger" value={filters.trigger} options={options.triggers} any="Any trigger" />
      <label className="flex flex-col text-sm">
        <span className="mb-1">Commit</span>
        <input
          name="commit"
          defaultValue={filters.commit ?? ""}
          placeholder="SHA prefix"
          pattern="[0-9a-fA-F]*"
          maxLength={40}
          className={`${INPUT} w-32 font-mono`}
        />
      </label>
      <button type="submit" className={BUTTON}>
        Apply
      </button>
      {active && (
        <Link href={`/pipelines/${pipelineId}/executions`} className={`py-1.5 text-sm ${LINK}`}>
          Clear filters
        </Link>
      )}
    </form>
  );
}
