import "server-only";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/server/api/errors";
import { isConfiguredAdmin } from "@/lib/server/auth/admins";
import { userToken, type Viewer } from "@/lib/server/auth/visibility";
import type { Db } from "@/lib/server/db/client";

/**
 * The viewer as a Stageboard administrator now, asked of GitHub with their own token rather than read from the
 * cached flag, for actions that change the instance; `refusal` says what only administrators may do.
 */
export async function requireFreshAdmin(
  db: Db,
  viewer: Viewer,
  refusal: string,
): Promise<{ githubId: bigint; login: string }> {
  const notAdmin = new ApiError({ code: "forbidden", message: refusal });
  if (!viewer.isAdmin) throw notAdmin;
  const token = await userToken(db, viewer.userId);
  if (!token)
    throw new ApiError({ code: "unauthorized", message: "GitHub no longer accepts your sign-in; sign in again." });
  const admin = await isConfiguredAdmin(db, token, viewer.userId, env.STAGEBOARD_ADMINS).catch(() => {
    throw new ApiError({
      code: "service_unavailable",
      message: "GitHub could not be reached to confirm you are an administrator.",
    });
  });
  if (!admin) throw notAdmin;
  const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true, login: true } });
  if (!user) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  return user;
}
