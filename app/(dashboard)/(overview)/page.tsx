import { Overview } from "@/components/overview/overview";
import { LiveUpdates } from "@/components/live/live-updates";
import { notFound } from "next/navigation";
import { firstValues, overviewFiltersSchema, parsePageInput } from "@/lib/pipelines/schemas";
import { getOverview } from "@/lib/server/pipelines/get-overview";
import { requireViewer } from "@/lib/server/session";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function OverviewPage({ searchParams }: Readonly<Props>) {
  const viewer = await requireViewer();
  const filters = parsePageInput(overviewFiltersSchema, firstValues(await searchParams));
  if (!filters) notFound();
  const data = await getOverview(viewer, filters);
  return (
    <>
      <div className="mb-2 flex justify-end">
        <LiveUpdates />
      </div>
      <Overview data={data} filters={filters} now={new Date()} />
    </>
  );
}
