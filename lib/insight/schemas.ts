import { z } from "zod";

// The insight pages' address (and the CSV export's): a preset period or a custom range of whole UTC days. A malformed
// value is refused by name rather than quietly read as the default period, so a shared link never shows other figures
// than it says.
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a day as YYYY-MM-DD");

export const insightQuerySchema = z
  .object({
    period: z.enum(["7", "30", "90", "custom"], { message: "7, 30, 90 or custom" }).optional(),
    from: day.optional(),
    to: day.optional(),
  })
  .refine((q) => q.period !== "custom" || (q.from !== undefined && q.to !== undefined), {
    message: "a custom period needs from and to",
    path: ["period"],
  });
