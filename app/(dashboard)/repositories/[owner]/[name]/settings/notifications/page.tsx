import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { NotificationSettings } from "@/components/notify/notification-settings";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { parsePageInput, repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { db } from "@/lib/server/db/client";
import { webhookReader } from "@/lib/server/notify/access";
import { listWebhooks } from "@/lib/server/notify/webhooks";
import { requireViewer } from "@/lib/server/session";

type Props = { params: Promise<{ owner: string; name: string }> };

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage({ params }: Readonly<Props>) {
  const path = parsePageInput(repositoryParamsSchema, await params);
  if (!path) notFound();
  const fullName = `${path.owner}/${path.name}`;
  const viewer = await requireViewer(`/repositories/${fullName}/settings/notifications`);
  const crumbs = [{ label: fullName, href: `/repositories/${fullName}` }, { label: "Settings" }];
  let repository;
  try {
    repository = await webhookReader(viewer, fullName);
  } catch (error) {
    if (error instanceof ApiError && error.code === "forbidden")
      return (
        <>
          <PageHeader crumbs={crumbs} title="Notifications" />
          <EmptyState title="Only this repository's admins manage its notifications">{error.message}.</EmptyState>
        </>
      );
    notFound();
  }
  const webhooks = await listWebhooks(db, repository);
  return (
    <>
      <PageHeader crumbs={crumbs} title="Notifications" />
      <NotificationSettings fullName={repository.fullName} initialData={webhooks} />
    </>
  );
}
