import "server-only";
import { createHash } from "node:crypto";
import { ifNoneMatchHits } from "@/lib/badges/http-cache";

// How every badge is sent, whatever it says: an SVG image that runs nothing (the CSP forbids scripts and any
// fetch; the inline styles badge-maker writes are all it may use), never sniffed as anything else, revalidated on
// every view (GitHub's image proxy, camo, would otherwise keep a stale badge for a long time), with an ETag of
// its bytes, so an unchanged badge answers 304 with no body.

export const BADGE_HEADERS: Readonly<Record<string, string>> = {
  "content-type": "image/svg+xml; charset=utf-8",
  "cache-control": "no-cache, max-age=0",
  "x-content-type-options": "nosniff",
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'",
  // READMEs on other sites embed the badge.
  "cross-origin-resource-policy": "cross-origin",
};

export const badgeEtag = (svg: string): string =>
  `"${createHash("sha256").update(svg, "utf8").digest("base64url").slice(0, 32)}"`;

export function badgeResponse(svg: string, ifNoneMatch: string | null): Response {
  const etag = badgeEtag(svg);
  const headers = { ...BADGE_HEADERS, etag };
  if (ifNoneMatchHits(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
  return new Response(svg, { status: 200, headers });
}
