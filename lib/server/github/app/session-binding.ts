import "server-only";
import { cookies } from "next/headers";
import { SESSION_COOKIE } from "@/lib/server/auth/session-policy";
import { hashSessionToken } from "@/lib/server/auth/session-token";
import type { Viewer } from "@/lib/server/auth/visibility";
import type { StateBinding } from "./manifest-state";

/** What the manifest flow's state is bound to: this request's session (its token's hash, as stored) and its user. */
export async function sessionBinding(viewer: Viewer): Promise<StateBinding | null> {
  const token = (await cookies()).get(SESSION_COOKIE)?.value;
  return token ? { sessionTokenHash: hashSessionToken(token), userId: viewer.userId } : null;
}
