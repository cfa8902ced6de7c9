// GET /badges/:owner/:repo.svg – the repository's status badge: the worst latest state of its pipelines on its
// default branch (?branch= for another), public for a public repository, with ?key= for a private one
import { answerBadge, undecodedSegments } from "@/lib/server/badges/answer-badge";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request, context: { params: Promise<{ owner: string; repo: string }> }) {
  // A name that is not valid percent-encoded UTF-8 fails to decode here: kept as sent, it names no repository.
  const { owner, repo } = await context.params.catch(() => {
    const [owner = "", repo = ""] = undecodedSegments(request);
    return { owner, repo };
  });
  return answerBadge(request, { owner, repo });
}
