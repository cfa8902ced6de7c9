import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { parsePageInput, repositoryParamsSchema } from "@/lib/pipelines/schemas";
import { canSeeRepository } from "@/lib/server/pipelines/visibility";
import { requireViewer } from "@/lib/server/session";

type Props = { children: ReactNode; params: Promise<{ owner: string; name: string }> };

// The access check for a repository page, made before any streaming starts (a real 404, never 403).
export default async function RepositoryLayout({ children, params }: Readonly<Props>) {
  const path = parsePageInput(repositoryParamsSchema, await params);
  if (!path) notFound();
  const viewer = await requireViewer(`/repositories/${path.owner}/${path.name}`);
  if (!canSeeRepository(viewer, `${path.owner}/${path.name}`)) notFound();
  return children;
}
