// The few cookies a sign-in over HTTP carries from one request to the next (next-auth's CSRF, state,
// PKCE and session cookies), kept as a browser would for one site: a Set-Cookie replaces the cookie of
// that name, and one that is emptied or already expired removes it. Pure.

export type CookieJar = ReadonlyMap<string, string>;

/** `jar` after the response's Set-Cookie headers (`Headers.getSetCookie()`), at `now` (ms). */
export function applySetCookies(jar: CookieJar, setCookies: readonly string[], now: number): CookieJar {
  const next = new Map(jar);
  for (const header of setCookies) {
    const [pair = "", ...attributes] = header.split(";");
    const at = pair.indexOf("=");
    if (at <= 0) continue;
    const name = pair.slice(0, at).trim();
    const value = pair.slice(at + 1).trim();
    const expired = attributes.some((attribute) => {
      const [key = "", raw = ""] = attribute.split("=").map((part) => part.trim());
      if (key.toLowerCase() === "max-age") return Number(raw) <= 0;
      if (key.toLowerCase() === "expires") return Date.parse(attribute.slice(attribute.indexOf("=") + 1)) <= now;
      return false;
    });
    if (value === "" || expired) next.delete(name);
    else next.set(name, value);
  }
  return next;
}

/** The Cookie request header for `jar`. */
export function cookieHeader(jar: CookieJar): string {
  return [...jar].map(([name, value]) => `${name}=${value}`).join("; ");
}
