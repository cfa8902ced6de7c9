import { z } from "zod";
import { env } from "@/lib/env";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { registerFromManifest } from "@/lib/server/github/app/register-from-manifest";
import { sessionBinding } from "@/lib/server/github/app/session-binding";

export const dynamic = "force-dynamic";

// GitHub's codes and our states are short URL-safe words; anything else never came from this flow.
const querySchema = z.object({
  code: z.string().regex(/^[A-Za-z0-9_-]{1,200}$/, "code is not one GitHub issues"),
  state: z.string().max(200),
});

// GET /api/github/app/manifest-callback – GitHub's redirect after creating the App: exchange the code (administrators
// only, for the session that started the flow; audited), then on to installing it
export const GET = withUser({ query: querySchema }, async ({ request, viewer, query, requestId }) => {
  const binding = await sessionBinding(viewer);
  if (!binding) throw new ApiError({ code: "unauthorized", message: "Sign in to use this API" });
  const result = await registerFromManifest({ db, viewer, binding, code: query.code, state: query.state, requestId });
  const settings = new URL("/settings/github-app", env.NEXTAUTH_URL ?? request.url);
  settings.searchParams.set("setup", result.kind === "refused" ? result.notice : "registered");
  const location = result.kind === "registered" && result.installUrl ? result.installUrl : settings.toString();
  // A plain 303 (Response.redirect's headers are immutable, and the wrapper adds the request id).
  return new Response(null, { status: 303, headers: { location, "cache-control": "no-store" } });
});
