import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InsightView } from "@/components/insight/insight-view";
import { firstValues, parsePageInput, pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { exportQuery, insightPage } from "@/lib/server/insight/insight-page";
import { requireViewer } from "@/lib/server/session";

export const metadata: Metadata = { title: "Pipeline insight" };

type Props = { params: Promise<{ id: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function PipelineInsightsPage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(pipelineParamsSchema, await params);
  if (!path) notFound();
  const base = `/pipelines/${encodeURIComponent(path.id)}/insights`;
  const viewer = await requireViewer(base);
  const page = await insightPage(viewer, { kind: "pipeline", id: path.id }, firstValues(await searchParams));
  if (!page) notFound();
  const exportHref = `/insights/export?scope=pipeline&id=${encodeURIComponent(path.id)}&${exportQuery(page.choice)}`;
  return <InsightView {...page} basePath={base} exportHref={exportHref} />;
}
