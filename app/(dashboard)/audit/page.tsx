import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuditView } from "@/components/audit/audit-view";
import { auditFiltersSchema } from "@/lib/control/audit-filters";
import { env } from "@/lib/env";
import { firstValues, parsePageInput } from "@/lib/pipelines/schemas";
import { listAudit } from "@/lib/server/control/audit/list-audit";
import { db } from "@/lib/server/db/client";
import { requireViewer } from "@/lib/server/session";

export const metadata: Metadata = { title: "Audit log" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function AuditPage({ searchParams }: Readonly<Props>) {
  const filters = parsePageInput(auditFiltersSchema, firstValues(await searchParams));
  if (!filters) notFound();
  const viewer = await requireViewer("/audit");
  const page = await listAudit(db, viewer, filters);
  return (
    <AuditView
      entries={page.data}
      nextCursor={page.meta.nextCursor}
      filters={filters}
      githubUrl={env.GITHUB_URL}
      scope={viewer.isAdmin ? "every repository and pipeline" : "the repositories you can read"}
    />
  );
}
