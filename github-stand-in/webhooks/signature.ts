import { createHmac } from "node:crypto";

/** GitHub's signature headers over the raw body: sha256 (X-Hub-Signature-256) and the legacy sha1 (X-Hub-Signature). */
export function signatureHeaders(secret: string | null, body: string): Record<string, string> {
  if (!secret) return {};
  return {
    "X-Hub-Signature": `sha1=${createHmac("sha1", secret).update(body, "utf8").digest("hex")}`,
    "X-Hub-Signature-256": `sha256=${createHmac("sha256", secret).update(body, "utf8").digest("hex")}`,
  };
}
