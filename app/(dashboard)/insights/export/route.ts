import { NextResponse, type NextRequest } from "next/server";
import { insightQuerySchema } from "@/lib/insight/schemas";
import { insightCsv, insightPage } from "@/lib/server/insight/insight-page";
import type { InsightScope } from "@/lib/server/insight/scope";
import { getViewer } from "@/lib/server/session";

// GET /insights/export?scope=all|repository|pipeline&…: an insight page's figures and table as CSV, under the same
// visibility as the page (a pipeline or repository the viewer cannot see answers 404, like one that does not exist).

const REPOSITORY = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;

function scopeOf(q: URLSearchParams): InsightScope | null {
  const scope = q.get("scope");
  if (scope === "all") return { kind: "all" };
  const id = q.get("id");
  if (scope === "pipeline" && id && id.length <= 200) return { kind: "pipeline", id };
  const repository = q.get("repository");
  if (scope === "repository" && repository && REPOSITORY.test(repository))
    return { kind: "repository", fullName: repository };
  return null;
}

export async function GET(request: NextRequest) {
  const viewer = await getViewer();
  if (!viewer) return NextResponse.json({ error: "Sign in first" }, { status: 401 });
  const q = request.nextUrl.searchParams;
  const scope = scopeOf(q);
  if (!scope) return NextResponse.json({ error: "Unknown insight scope" }, { status: 400 });
  const period = insightQuerySchema.safeParse({
    period: q.get("period") ?? undefined,
    from: q.get("from") ?? undefined,
    to: q.get("to") ?? undefined,
  });
  if (!period.success) {
    const issue = period.error.issues[0];
    return NextResponse.json(
      { error: `Unknown period (${issue?.path.join(".")}: ${issue?.message})` },
      { status: 400 },
    );
  }
  const page = await insightPage(viewer, scope, period.data);
  if (!page) return NextResponse.json({ error: "Not found" }, { status: 404 });
  return new NextResponse(insightCsv(page), {
    headers: {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="insight-${scope.kind}.csv"`,
      "cache-control": "private, no-store",
    },
  });
}
