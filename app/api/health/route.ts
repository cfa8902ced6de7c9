// GET /api/health – database, migrations and sync freshness per target; 503 when this instance cannot serve
import { db } from "@/lib/server/db/client";
import { getHealth } from "@/lib/server/health/get-health";

export const dynamic = "force-dynamic";

export async function GET() {
  const health = await getHealth(db);
  return Response.json(health, {
    status: health.status === "unhealthy" ? 503 : 200,
    headers: { "cache-control": "no-store" },
  });
}
