import type { HistoryFilters as Filters } from "@/lib/pipelines/schemas";
import { FilterForm, FilterInput, FilterSelect } from "@/components/ui/filter-form";

type Options = { statuses: string[]; branches: string[]; triggers: string[] };

/** GET form: filters are URL parameters, and applying them starts again from the first page. */
export function HistoryFilters({
  pipelineId,
  filters,
  options,
}: Readonly<{ pipelineId: string; filters: Filters; options: Options }>) {
  const path = `/pipelines/${pipelineId}/executions`;
  const active = Boolean(filters.status || filters.branch || filters.commit || filters.trigger);
  return (
    <FilterForm label="Filter executions" action={path} clearHref={path} active={active} className="mb-4">
      {(
        [
          ["status", "Status", filters.status, options.statuses],
          ["branch", "Branch", filters.branch, options.branches],
          ["trigger", "Trigger", filters.trigger, options.triggers],
        ] as const
      ).map(([name, label, value, values]) => (
        <FilterSelect
          key={name}
          name={name}
          label={label}
          value={value}
          any={`Any ${name}`}
          options={values.map((v) => [v, v] as const)}
        />
      ))}
      <FilterInput
        name="commit"
        label="Commit"
        defaultValue={filters.commit ?? ""}
        placeholder="SHA prefix"
        pattern="[0-9a-fA-F]*"
        maxLength={40}
        className="w-32 font-mono"
      />
    </FilterForm>
  );
}
