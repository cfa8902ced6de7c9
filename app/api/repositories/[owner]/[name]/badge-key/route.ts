import { z } from "zod";
import { rotateBadgeKeyBodySchema } from "@/lib/badges/schemas";
import { env } from "@/lib/env";
import { withUser } from "@/lib/server/api/with-user";
import { badgeKeyManager } from "@/lib/server/badges/badge-key-access";
import { loadBadgeKeyView } from "@/lib/server/badges/badge-key-view";
import { rotateBadgeKey } from "@/lib/server/badges/rotate-badge-key";
import { db } from "@/lib/server/db/client";

export const dynamic = "force-dynamic";

const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
const paramsSchema = z.object({ owner: z.string().regex(NAME), name: z.string().regex(NAME) });

/** Badge addresses use the configured public origin, so a key copied from the page works where READMEs look. */
const originOf = (request: Request) => new URL(env.NEXTAUTH_URL ?? request.url).origin;

// GET /api/repositories/:owner/:name/badge-key – the badge key and badge Markdown (repository admins, administrators)
export const GET = withUser({ params: paramsSchema }, async ({ request, viewer, params }) => {
  const repository = await badgeKeyManager(viewer, `${params.owner}/${params.name}`);
  return Response.json(
    { data: await loadBadgeKeyView(db, repository, originOf(request)) },
    { headers: { "cache-control": "no-store" } },
  );
});

// POST /api/repositories/:owner/:name/badge-key – a new badge key; the old one stops working (audited)
export const POST = withUser(
  { params: paramsSchema, body: rotateBadgeKeyBodySchema },
  async ({ request, viewer, params, requestId }) => {
    const repository = await badgeKeyManager(viewer, `${params.owner}/${params.name}`);
    await rotateBadgeKey(db, { viewer, repository, requestId });
    return Response.json(
      { data: await loadBadgeKeyView(db, repository, originOf(request)) },
      { headers: { "cache-control": "no-store" } },
    );
  },
);
