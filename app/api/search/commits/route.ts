import { parseCommitQuery } from "@/lib/search/commit-query";
import { commitSearchPageSchema } from "@/lib/search/schemas";
import { ApiError } from "@/lib/server/api/errors";
import { withUser } from "@/lib/server/api/with-user";
import { searchCommits } from "@/lib/server/search/search-commits";

export const dynamic = "force-dynamic";

// GET /api/search/commits?q= – which executions of the viewer's pipelines carry a commit (SHA, prefix or #PR),
// how far each got and which stages run it now
export const GET = withUser({ query: commitSearchPageSchema }, async ({ viewer, query }) => {
  const parsed = parseCommitQuery(query.q);
  if (!parsed.ok) throw new ApiError({ code: "bad_request", message: parsed.message });
  const result = await searchCommits(viewer, parsed.query);
  return Response.json({ data: { query: parsed.query, ...result } });
});
