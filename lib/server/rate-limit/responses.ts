import "server-only";
import type { LimitDecision } from "./limiter";

type Limited = Extract<LimitDecision, { kind: "limited" }>;

function limitHeaders(decision: Limited): Record<string, string> {
  return {
    "retry-after": String(decision.retryAfterSeconds),
    "cache-control": "no-store",
  };
}

/** 429 for APIs and machine endpoints: the API's error shape, with Retry-After. */
export function rateLimitedJson(decision: Limited, headers?: Record<string, string>): Response {
  return Response.json(
    {
      error: {
        code: "rate_limited",
        message: `Too many requests; try again in ${decision.retryAfterSeconds} s.`,
      },
    },
    { status: 429, headers: { ...limitHeaders(decision), ...headers } },
  );
}

/**
 * 429 for pages: a page a person can read, which reloads itself once the window has reopened. No
 * script and no stylesheet, so it renders under any Content-Security-Policy.
 */
export function rateLimitedPage(decision: Limited, headers?: Record<string, string>): Response {
  const seconds = decision.retryAfterSeconds;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="${seconds}">
<title>Too many requests · Stageboard</title>
</head>
<body>
<main>
<h1>Too many requests</h1>
<p>Stageboard has had more requests from you in the last minute than it answers. This page reloads by itself in ${seconds} seconds.</p>
<p>Many open Stageboard tabs each check for changes every second; closing a few helps.</p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status: 429,
    headers: { "content-type": "text/html; charset=utf-8", ...limitHeaders(decision), ...headers },
  });
}
