import { z } from "zod";
import type { BadgeUrls } from "./badge-urls";

/** POST /api/repositories/:owner/:name/badge-key takes nothing: it always makes a new key. */
export const rotateBadgeKeyBodySchema = z.object({}).strict();

/** A repository's badge key as its admins see it. */
export type BadgeKeyState =
  | { kind: "none" }
  | { kind: "shown"; value: string; createdAt: string; createdBy: string }
  /** Sealed with an encryption key this instance no longer has: it still opens the badges, but cannot be shown. */
  | { kind: "unreadable"; createdAt: string; createdBy: string };

/** What GET and POST /api/repositories/:owner/:name/badge-key answer. */
export interface BadgeKeyView {
  repository: string;
  /** As GitHub last said (private until it has said otherwise): a private repository's badges need the key. */
  private: boolean;
  key: BadgeKeyState;
  /** The addresses to use: with the key while the repository is private (none then until a key exists). */
  urls: BadgeUrls | null;
}
