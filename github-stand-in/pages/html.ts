// Building blocks of the stand-in's server-rendered pages. Everything shown comes from API callers (names,
// summaries, URLs), so every text goes through `text` and every link through `link`, which keeps only http(s).
import { escapeHtml } from "../http/respond";
import { isHttpUrl } from "../rest/fields";

/** Escaped text; `null` shows as nothing. */
export function text(value: string | number | null | undefined): string {
  return value === null || value === undefined ? "" : escapeHtml(String(value));
}

/** A link to a URL a caller gave, or just the label when the URL is missing or not http(s). */
export function link(url: string | null | undefined, label: string, testId: string): string {
  if (!url || !isHttpUrl(url)) return "";
  return `<a href="${escapeHtml(url)}" rel="noreferrer noopener" data-testid="${testId}">${escapeHtml(label)}</a>`;
}

/** A link inside the stand-in, from path segments that are encoded one by one. */
export function localLink(segments: string[], label: string, testId: string, query = ""): string {
  const href = `/${segments.map(encodeURIComponent).join("/")}${query}`;
  return `<a href="${escapeHtml(href)}" data-testid="${testId}">${escapeHtml(label)}</a>`;
}

/** A status word as a small coloured badge; the colour follows GitHub's green, red, amber and grey. */
export function badge(state: string, testId: string): string {
  const tone = /^(success|active)$/.test(state)
    ? "ok"
    : /^(failure|error|timed_out|cancelled|action_required|stale|startup_failure)$/.test(state)
      ? "bad"
      : /^(pending|queued|in_progress|waiting|requested)$/.test(state)
        ? "wait"
        : "none";
  return `<span class="badge ${tone}" data-testid="${testId}">${escapeHtml(state.replace(/_/g, " "))}</span>`;
}

export function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>
body{font-family:system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#1f2328}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}code{font-size:.9em}
ul{list-style:none;padding:0}li{border:1px solid #d0d7de;border-radius:6px;padding:.6rem .8rem;margin:.4rem 0}
.muted{color:#59636e;font-size:.9rem}.summary{white-space:pre-wrap;margin:.4rem 0 0}
.badge{display:inline-block;border-radius:1rem;padding:0 .5rem;font-size:.8rem;border:1px solid #d0d7de}
.ok{background:#dafbe1}.bad{background:#ffebe9}.wait{background:#fff8c5}.none{background:#f6f8fa}
a{color:#0969da}
</style></head>
<body><main>${body}</main></body></html>`;
}

/** Pages show only what they were given: no scripts, no outside resources, no framing. */
export const PAGE_HEADERS = {
  "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'",
  "x-frame-options": "DENY",
  "cache-control": "no-store",
};
