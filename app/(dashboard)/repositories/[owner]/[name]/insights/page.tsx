import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InsightView } from "@/components/insight/insight-view";
import { firstValues, parsePageInput, repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { exportQuery, insightPage } from "@/lib/server/insight/insight-page";
import { requireViewer } from "@/lib/server/session";

type Props = {
  params: Promise<{ owner: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Readonly<Pick<Props, "params">>): Promise<Metadata> {
  const { owner, name } = await params;
  return { title: `Insight · ${owner}/${name}` };
}

export default async function RepositoryInsightsPage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(repositoryParamsSchema, await params);
  if (!path) notFound();
  const fullName = `${path.owner}/${path.name}`;
  const base = `/repositories/${fullName}/insights`;
  const viewer = await requireViewer(base);
  const page = await insightPage(viewer, { kind: "repository", fullName }, firstValues(await searchParams));
  if (!page) notFound();
  const exportHref = `/insights/export?scope=repository&repository=${encodeURIComponent(fullName)}&${exportQuery(page.choice)}`;
  return <InsightView {...page} basePath={base} exportHref={exportHref} />;
}
