import { z } from "zod";

/** The search page's address: `q` as typed; what it means (or why it cannot be searched) is commit-query.ts's. */
export const commitSearchPageSchema = z.object({ q: z.string().max(200, "at most 200 characters").optional() });
