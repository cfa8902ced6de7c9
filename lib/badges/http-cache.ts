// Conditional GETs for badges: GitHub's image proxy and browsers revalidate every time (no-cache), and an
// unchanged badge answers 304 with no body.

/**
 * Whether an If-None-Match header names `etag`: a list of entity tags, weak ones compared weakly (RFC 9110
 * 13.1.2 uses weak comparison for If-None-Match), or `*`.
 */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (!header) return false;
  const opaque = (tag: string) => tag.trim().replace(/^W\//, "");
  return header.split(",").some((tag) => tag.trim() === "*" || opaque(tag) === opaque(etag));
}
