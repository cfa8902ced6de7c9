import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { canSeeRepository } from "@/lib/server/pipelines/visibility";
import { requireViewer } from "@/lib/server/session";

type Props = { children: ReactNode; params: Promise<{ owner: string; name: string }> };

// The access check for a repository page, made before any streaming starts (a real 404, never 403).
export default async function RepositoryLayout({ children, params }: Readonly<Props>) {
  const { owner, name } = await params;
  const viewer = await requireViewer(`/repositories/${owner}/${name}`);
  if (!canSeeRepository(viewer, `${decodeURIComponent(owner)}/${decodeURIComponent(name)}`)) notFound();
  return children;
}
