import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { LiveRepositoryView } from "@/components/overview/live-repository-view";
import { parsePageInput, repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { pageEventId } from "@/lib/server/live/page-event-id";
import { getRepositoryOverview } from "@/lib/server/pipelines/get-repository-overview";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ owner: string; name: string }> };

export async function generateMetadata({ params }: Readonly<Props>): Promise<Metadata> {
  const { owner, name } = await params;
  return { title: `${owner}/${name}` };
}

export default async function RepositoryPage({ params }: Readonly<Props>) {
  const path = parsePageInput(repositoryParamsSchema, await params);
  if (!path) notFound();
  const fullName = `${path.owner}/${path.name}`;
  const viewer = await requireViewer(`/repositories/${fullName}`);
  const serverNow = new Date();
  const eventId = await pageEventId();
  const repository = await getRepositoryOverview(viewer, fullName);
  if (!repository) notFound();
  return <LiveRepositoryView initialData={repository} serverNow={serverNow} eventId={eventId} />;
}
