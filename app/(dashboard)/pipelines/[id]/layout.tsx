import { notFound } from "next/navigation";
import type { ReactNode } from "react";
import { parsePageInput, pipelineParamsSchema } from "@/lib/pipelines/schemas";
import { isPipelineVisible } from "@/lib/server/pipelines/visibility";
import { requireViewer } from "@/lib/server/session";

type Props = { children: ReactNode; params: Promise<{ id: string }> };

// The access check for everything under /pipelines/[id], made before any streaming starts so that a
// pipeline the viewer cannot see (or that does not exist) answers a real 404.
export default async function PipelineLayout({ children, params }: Readonly<Props>) {
  const path = parsePageInput(pipelineParamsSchema, await params);
  if (!path) notFound();
  const viewer = await requireViewer(`/pipelines/${encodeURIComponent(path.id)}`);
  if (!(await isPipelineVisible(viewer, path.id))) notFound();
  return children;
}
