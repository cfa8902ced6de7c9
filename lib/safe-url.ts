// URLs from AWS or GitHub data are untrusted: only absolute http(s) URLs become links, so a
// `javascript:` or `data:` value can never run in the page. Everything else is shown as text.

/** The normalised URL when `value` is an absolute http(s) URL without credentials, otherwise null. */
export function safeHttpUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const trimmed = value.trim();
  if (trimmed === "" || trimmed.length > 2048) return null;
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username || url.password) return null;
  return url.href;
}
