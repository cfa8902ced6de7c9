// GET /api/health – the status alone ("ok" | "degraded" | "down"; 503 when this instance cannot serve) for
// anyone; database, migrations and sync freshness per target with HEALTH_TOKEN or an administrator's session
import { env } from "@/lib/env";
import { db } from "@/lib/server/db/client";
import { answerHealth } from "@/lib/server/health/answer-health";
import { getViewer } from "@/lib/server/session";

export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const answer = await answerHealth({
    db,
    authorization: request.headers.get("authorization"),
    healthToken: env.HEALTH_TOKEN,
    isAdmin: async () => (await getViewer())?.isAdmin === true,
  });
  return Response.json(answer.body, { status: answer.status, headers: { "cache-control": "no-store" } });
}
