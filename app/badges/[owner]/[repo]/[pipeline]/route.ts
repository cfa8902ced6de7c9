// GET /badges/:owner/:repo/:pipeline.svg – one pipeline's status badge (?stage= for one stage, ?branch= for one
// branch), public for a public repository, with ?key= for a private one
import { answerBadge } from "@/lib/server/badges/answer-badge";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(
  request: Request,
  context: { params: Promise<{ owner: string; repo: string; pipeline: string }> },
) {
  const { owner, repo, pipeline } = await context.params;
  return answerBadge(request, { owner, repo, pipeline });
}
