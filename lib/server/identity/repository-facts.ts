import "server-only";
import type { Prisma } from "@/lib/generated/prisma/client";
import type { Db } from "@/lib/server/db/client";

// What GitHub says about a repository besides its id, kept on every Repository row pinned to that id: whether it
// is private and its default branch. Badges read them (lib/server/badges/): a public repository's badges are
// public, a private one's need its key, and the repository badge follows the default branch. Like the pins, this
// reads and writes Postgres only; the facts come from a signed-in user's repository list (lib/server/auth).
// Rows GitHub has said nothing about stay private (the column's default): failing closed.

export interface RepositoryFacts {
  githubId: bigint;
  private: boolean;
  defaultBranch: string | null;
}

/**
 * The statement that records the facts of one freshly fetched list, for the transaction that writes it (after the
 * pins, so rows pinned by that list get them too). Only rows whose facts changed are written: a list of a
 * thousand repositories that says what is stored already locks nothing.
 */
export function applyRepositoryFactsStatement(db: Db, facts: readonly RepositoryFacts[]): Prisma.PrismaPromise<number> {
  return db.$executeRaw`
    UPDATE "Repository" r SET "private" = f.private, "defaultBranch" = f.branch
      FROM unnest(${facts.map((f) => String(f.githubId))}::bigint[], ${facts.map((f) => f.private)}::boolean[],
                  ${facts.map((f) => f.defaultBranch)}::text[]) AS f(id, private, branch)
     WHERE r."githubId" = f.id
       AND (r."private" IS DISTINCT FROM f.private OR r."defaultBranch" IS DISTINCT FROM f.branch)`;
}
