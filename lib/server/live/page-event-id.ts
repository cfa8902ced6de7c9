import "server-only";
import { db as appDb, type Db } from "@/lib/server/db/client";
import { formatCursor } from "@/lib/server/feed/cursor";
import { headCursor } from "@/lib/server/feed/read-changes";

/**
 * The feed position a page's data was read at, read before that data: the page's live stream resumes
 * from it, so a change stored between the render and the stream's opening still reaches the page
 * (at worst twice, which only refetches once more).
 */
export async function pageEventId(db: Db = appDb): Promise<string> {
  return formatCursor(await headCursor(db));
}
