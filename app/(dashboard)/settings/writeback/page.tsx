import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/ui/page-header";
import { WritebackQueue } from "@/components/writeback/writeback-queue";
import { db } from "@/lib/server/db/client";
import { requireViewer } from "@/lib/server/session";
import { readWritebackOverview } from "@/lib/server/writeback/dead-letters";

export const metadata: Metadata = { title: "GitHub write-back" };

export default async function WritebackSettingsPage() {
  const viewer = await requireViewer("/settings/writeback");
  // Administrators only; to anyone else the page does not exist.
  if (!viewer.isAdmin) notFound();
  return (
    <>
      <PageHeader crumbs={[{ label: "Settings" }]} title="GitHub write-back" />
      <WritebackQueue initialData={await readWritebackOverview(db)} />
    </>
  );
}
