import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { getSession } from "@/lib/server/auth";
import { loadViewer, type Viewer } from "@/lib/server/auth/visibility";
import { db } from "@/lib/server/db/client";

export type { Viewer };

/** The signed-in viewer with what they may see, or null (once per request). */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = await getSession();
  if (!session?.user.id) return null;
  return loadViewer(db, session.user.id);
});

/** For pages and layouts: the viewer, or a redirect to sign-in. */
export async function requireViewer(callbackPath = "/"): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return viewer;
}
