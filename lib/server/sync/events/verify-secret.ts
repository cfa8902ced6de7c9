import "server-only";

// Constant-time check of the shared secret header: both sides are hashed first so the comparison is
// between equal-length digests and reveals neither the secret's length nor a matching prefix.
import { createHash, timingSafeEqual } from "node:crypto";

export function secretMatches(presented: string | null | undefined, expected: string): boolean {
  const a = createHash("sha256")
    .update(presented ?? "")
    .digest();
  const b = createHash("sha256").update(expected).digest();
  return timingSafeEqual(a, b) && typeof presented === "string";
}
