import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { GitHubAppSettings } from "@/components/github-app/github-app-settings";
import { readSetupNotice } from "@/lib/github-app/setup-notices";
import { firstValues } from "@/lib/pipelines/schemas";
import { db } from "@/lib/server/db/client";
import { sessionBinding } from "@/lib/server/github/app/session-binding";
import { loadSetupView } from "@/lib/server/github/app/setup-view";
import { requireViewer } from "@/lib/server/session";

export const metadata: Metadata = { title: "GitHub App" };

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

export default async function GitHubAppSettingsPage({ searchParams }: Readonly<Props>) {
  const viewer = await requireViewer("/settings/github-app");
  // Administrators only; to anyone else the page does not exist.
  if (!viewer.isAdmin) notFound();
  const query = firstValues(await searchParams);
  // GitHub's setup redirect after an installation carries setup_action (its installation_id is not trusted or used).
  const installed = query.setup_action === "install" || query.setup_action === "update";
  const notice = readSetupNotice(query.setup) ?? (installed ? "installed" : null);
  const view = await loadSetupView({ db, binding: await sessionBinding(viewer) });
  return <GitHubAppSettings view={view} notice={notice} />;
}
