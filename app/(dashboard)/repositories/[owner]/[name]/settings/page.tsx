import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { BadgeSettings } from "@/components/badges/badge-settings";
import { ReleaseGates } from "@/components/gate/release-gate-settings";
import { PolicySettings } from "@/components/control/policy-settings";
import { WritebackSettings } from "@/components/writeback/writeback-settings";
import { firstValues, parsePageInput, repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { policySettingsQuerySchema } from "@/lib/control/policy-form";
import { loadPolicySettings } from "@/lib/server/control/policy/settings-view";
import { requireViewer } from "@/lib/server/session";

type Props = {
  params: Promise<{ owner: string; name: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};

export async function generateMetadata({ params }: Readonly<Props>): Promise<Metadata> {
  const { owner, name } = await params;
  return { title: `Settings · ${owner}/${name}` };
}

export default async function RepositorySettingsPage({ params, searchParams }: Readonly<Props>) {
  const path = parsePageInput(repositoryParamsSchema, await params);
  const query = parsePageInput(policySettingsQuerySchema, firstValues(await searchParams));
  if (!path || !query) notFound();
  const fullName = `${path.owner}/${path.name}`;
  const viewer = await requireViewer(`/repositories/${fullName}/settings`);
  const settings = await loadPolicySettings(viewer, fullName, query);
  if (!settings) notFound();
  return (
    <>
      <PolicySettings {...settings} />
      {settings.canEdit && <BadgeSettings fullName={settings.repository} />}
      {settings.canEdit && <WritebackSettings fullName={settings.repository} />}
      {settings.canEdit && <ReleaseGates pipelines={settings.pipelines} />}
    </>
  );
}
