import type { JsonObject } from "../http/body";
import type { StandInState } from "../state";
import { FULL_SHA, type NewCommit } from "../world/commits";
import { parseFullName } from "../world/names";
import { pushed } from "../webhooks/events";

/**
 * POST /_stand-in/commits – commits GitHub knows, for tests and setups without a commit source:
 * {"repository", "branch"?, "commits": [{"message", "author": {"name","email","date"?}, "sha"?, "parents"?}]}.
 * They are added in order on the branch (default main), each without parents on top of the one before.
 */
export function registerCommits(state: StandInState, body: JsonObject): { status: number; body: unknown } {
  const bad = (error: string) => ({ status: 400, body: { error } });
  const parsed = parseFullName(body.repository);
  const repository = parsed ? state.world.repository(parsed.owner, parsed.name) : undefined;
  if (!repository) return bad("unknown repository");
  const branch = body.branch ?? "main";
  if (typeof branch !== "string" || branch === "") return bad("branch must be a name");
  if (!Array.isArray(body.commits) || body.commits.length === 0) return bad("commits must be a non-empty list");
  const commits: NewCommit[] = [];
  for (const [i, raw] of body.commits.entries()) {
    const c = raw as Partial<{ sha: unknown; parents: unknown; message: unknown; author: Record<string, unknown> }>;
    const where = `commits[${i}]`;
    if (typeof c.message !== "string") return bad(`${where}.message must be a string`);
    const author = c.author;
    if (typeof author?.name !== "string" || typeof author.email !== "string")
      return bad(`${where}.author must have name and email`);
    if (author.date !== undefined && (typeof author.date !== "string" || Number.isNaN(Date.parse(author.date))))
      return bad(`${where}.author.date must be an ISO 8601 time`);
    if (c.sha !== undefined && (typeof c.sha !== "string" || !FULL_SHA.test(c.sha.toLowerCase())))
      return bad(`${where}.sha must be 40 hexadecimal digits`);
    if (
      c.parents !== undefined &&
      (!Array.isArray(c.parents) || !c.parents.every((p) => typeof p === "string" && FULL_SHA.test(p)))
    )
      return bad(`${where}.parents must be full SHAs`);
    commits.push({
      message: c.message,
      author: {
        name: author.name,
        email: author.email,
        ...(typeof author.date === "string" ? { date: author.date } : {}),
      },
      ...(typeof c.sha === "string" ? { sha: c.sha } : {}),
      ...(Array.isArray(c.parents) ? { parents: c.parents as string[] } : {}),
    });
  }
  const added = state.commits.register(repository.fullName, branch, commits);
  const tip = added.at(-1);
  if (tip) pushed(state, { repository, branch, after: tip.sha, commits: added });
  return { status: 200, body: { repository: repository.fullName, branch, commits: added.map((c) => c.sha) } };
}
