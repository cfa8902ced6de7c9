import { auditFiltersSchema } from "@/lib/control/audit-filters";
import { withUser } from "@/lib/server/api/with-user";
import { db } from "@/lib/server/db/client";
import { allAudit, CSV_COLUMNS, csvLine, listAudit } from "@/lib/server/control/audit/list-audit";

export const dynamic = "force-dynamic";

// GET /api/audit – the audit log the viewer may read, filtered, newest first; ?format=csv|json exports every match
export const GET = withUser({ query: auditFiltersSchema }, async ({ viewer, query, request }) => {
  const format = new URL(request.url).searchParams.get("format");
  if (format !== "csv" && format !== "json") return Response.json(await listAudit(db, viewer, query));
  const encoder = new TextEncoder();
  const entries = allAudit(db, viewer, query);
  let first = true;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(encoder.encode(format === "csv" ? `${CSV_COLUMNS.join(",")}\r\n` : "["));
    },
    async pull(controller) {
      const next = await entries.next();
      if (next.done) {
        if (format === "json") controller.enqueue(encoder.encode("]\n"));
        controller.close();
        return;
      }
      const text = format === "csv" ? csvLine(next.value) : `${first ? "" : ","}\n${JSON.stringify(next.value)}`;
      first = false;
      controller.enqueue(encoder.encode(text));
    },
  });
  const stamp = new Date().toISOString().slice(0, 10);
  return new Response(stream, {
    headers: {
      "content-type": format === "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8",
      "content-disposition": `attachment; filename="stageboard-audit-${stamp}.${format}"`,
      "cache-control": "no-store",
    },
  });
});
