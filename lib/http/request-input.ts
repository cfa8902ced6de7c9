// The shape every URL must have before any route sees it, checked once in proxy.ts: a path whose
// escapes decode, of bounded length and segment length, and a bounded query string. What fails is
// the client's mistake and answers 400, so no page or route ever meets a `%` escape that throws or a
// megabyte of filter. Finer limits (a pipeline id's length, a filter's) belong to each route's schema.
//
// Query strings need no escape check here: Next parses them leniently before proxy.ts runs (a `%zz`
// arrives as the literal text "%zz"), so no value a route reads can fail to decode.

export const URL_LIMITS = {
  /** The whole path, as sent (escapes count as three characters each). */
  pathChars: 2_048,
  /** One path segment, as sent: far above any id, owner or repository name Stageboard uses. */
  segmentChars: 256,
  /** The whole query string: far above what any filter form produces. */
  queryChars: 4_096,
} as const;

export type UrlCheck = { kind: "ok" } | { kind: "rejected"; message: string };

/** A path segment decoded, or null when its `%` escapes are malformed. */
export function decodeSegment(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

export function checkRequestUrl(input: { pathname: string; search: string }): UrlCheck {
  if (input.pathname.length > URL_LIMITS.pathChars)
    return { kind: "rejected", message: `The address is longer than ${URL_LIMITS.pathChars} characters.` };
  for (const segment of input.pathname.split("/")) {
    if (segment.length > URL_LIMITS.segmentChars)
      return {
        kind: "rejected",
        message: `A part of the address is longer than ${URL_LIMITS.segmentChars} characters.`,
      };
    if (segment.includes("%") && decodeSegment(segment) === null)
      return { kind: "rejected", message: "The address has a malformed % escape." };
  }
  if (input.search.length > URL_LIMITS.queryChars)
    return { kind: "rejected", message: `The query string is longer than ${URL_LIMITS.queryChars} characters.` };
  return { kind: "ok" };
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

/** 400 for a rejected URL: the API's error shape, or a page a person can read (no script, no style). */
export function rejectedUrlResponse(input: { kind: "page" | "api"; message: string }): Response {
  if (input.kind === "api")
    return Response.json({ error: { code: "bad_request", message: input.message } }, { status: 400 });
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Bad address · Stageboard</title></head>
<body><main><h1>This address cannot be read</h1><p>${escapeHtml(input.message)}</p><p><a href="/">Back to repositories</a></p></main></body>
</html>
`;
  return new Response(html, { status: 400, headers: { "content-type": "text/html; charset=utf-8" } });
}
