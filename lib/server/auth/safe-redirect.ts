/**
 * Where to send someone after sign-in: only a path on this site. Absolute URLs on another origin,
 * protocol-relative `//host`, backslash tricks and non-http schemes fall back to the home page.
 */
export function safeRedirect(target: string | null | undefined, baseUrl: string): string {
  const home = new URL("/", baseUrl).toString();
  if (!target) return home;
  if (/^\s|[\u0000-\u001f\\]/.test(target)) return home;
  let url: URL;
  try {
    url = new URL(target, baseUrl);
  } catch {
    return home;
  }
  const base = new URL(baseUrl);
  if (url.origin !== base.origin || (url.protocol !== "http:" && url.protocol !== "https:")) return home;
  if (target.startsWith("//")) return home;
  return url.toString();
}
