// GET /badges/:owner/:repo/:pipeline.svg – one pipeline's status badge (?stage= for one stage, ?branch= for one
// branch), public for a public repository, with ?key= for a private one
import { answerBadge, undecodedSegments } from "@/lib/server/badges/answer-badge";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(
  request: Request,
  context: { params: Promise<{ owner: string; repo: string; pipeline: string }> },
) {
  // A name that is not valid percent-encoded UTF-8 fails to decode here: kept as sent, it names no pipeline.
  const { owner, repo, pipeline } = await context.params.catch(() => {
    const [owner = "", repo = "", pipeline = ""] = undecodedSegments(request);
    return { owner, repo, pipeline };
  });
  return answerBadge(request, { owner, repo, pipeline });
}
