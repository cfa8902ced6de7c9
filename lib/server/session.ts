import "server-only";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { cache } from "react";
import { loadSessionViewer } from "@/lib/server/auth/load-session-viewer";
import { SESSION_COOKIE } from "@/lib/server/auth/session-policy";
import type { Viewer } from "@/lib/server/auth/visibility";
import { db } from "@/lib/server/db/client";

export type { Viewer };

/** The signed-in viewer with what they may see, or null (once per request). */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  if (!token) return null;
  return loadSessionViewer(db, token);
});

/** For pages and layouts: the viewer, or a redirect to sign-in. */
export async function requireViewer(callbackPath = "/"): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  return viewer;
}
