import { notFound } from "next/navigation";
import { LiveOverview } from "@/components/overview/live-overview";
import { OverviewFilters } from "@/components/overview/overview-filters";
import { PageHeader } from "@/components/ui/page-header";
import { firstValues, overviewFiltersSchema, parsePageInput } from "@/lib/pipelines/schemas";
import { pageEventId } from "@/lib/server/live/page-event-id";
import { getOverview } from "@/lib/server/pipelines/get-overview";
import { requireViewer } from "@/lib/server/session";
import type { Metadata } from "next";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export const metadata: Metadata = { title: "Pipelines" };

export default async function OverviewPage({ searchParams }: Readonly<Props>) {
  const viewer = await requireViewer();
  const filters = parsePageInput(overviewFiltersSchema, firstValues(await searchParams));
  if (!filters) notFound();
  const serverNow = new Date();
  const eventId = await pageEventId();
  const data = await getOverview(viewer, filters);
  const header = (
    <PageHeader title="Repositories">
      <OverviewFilters filters={filters} />
    </PageHeader>
  );
  return <LiveOverview initialData={data} filters={filters} serverNow={serverNow} eventId={eventId} header={header} />;
}
