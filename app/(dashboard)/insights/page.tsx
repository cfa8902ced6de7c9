import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InsightView } from "@/components/insight/insight-view";
import { firstValues } from "@/lib/pipelines/schemas";
import { exportQuery, insightPage } from "@/lib/server/insight/insight-page";
import { requireViewer } from "@/lib/server/session";

export const metadata: Metadata = { title: "Insight" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function InsightsPage({ searchParams }: Readonly<Props>) {
  const viewer = await requireViewer("/insights");
  const page = await insightPage(viewer, { kind: "all" }, firstValues(await searchParams));
  if (!page) notFound();
  return (
    <InsightView {...page} basePath="/insights" exportHref={`/insights/export?scope=all&${exportQuery(page.choice)}`} />
  );
}
