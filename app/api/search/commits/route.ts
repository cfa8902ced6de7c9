import { z } from "zod";
import { parseCommitQuery } from "@/lib/search/commit-query";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { searchCommits } from "@/lib/server/search/search-commits";

export const dynamic = "force-dynamic";

const querySchema = z.object({ q: z.string().max(200, "q: at most 200 characters").optional() });

// GET /api/search/commits?q= – which executions of the viewer's pipelines carry a commit (SHA, prefix or #PR),
// how far each got and which stages run it now
export const GET = withUser({ query: querySchema }, async ({ viewer, query }) => {
  const parsed = parseCommitQuery(query.q);
  if (!parsed.ok) throw new ApiError({ code: "bad_request", message: parsed.message });
  const result = await searchCommits(viewer, parsed.query);
  return Response.json({ data: { query: parsed.query, ...result } });
});
