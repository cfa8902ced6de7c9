// One address for people: a browser that reached Stageboard under another name (127.0.0.1 instead of
// localhost, a bare IP, an internal host name) is sent to the configured public origin before anything
// else runs. Sign-in depends on it: next-auth's OAuth state cookie belongs to the host that set it, so
// a sign-in begun on one name and finished on another fails. Machine endpoints answer on any host,
// because probes, scrapers and senders of events address the instance however they reach it.

const MACHINE_PATHS = ["/api/health", "/api/metrics", "/api/events", "/api/github/webhooks", "/badges"];

/** A machine endpoint is one of MACHINE_PATHS or anything below it, never a path that only starts alike. */
export function isMachinePath(pathname: string): boolean {
  return MACHINE_PATHS.some((path) => pathname === path || pathname.startsWith(`${path}/`));
}

/**
 * Where to send a request that arrived on a host other than the public origin's, or null to serve it.
 * The host a person typed is `X-Forwarded-Host` behind a proxy, else `Host`; only the host decides, so a
 * TLS-terminating proxy that forwards plain http never loops.
 */
export function redirectToPublicOrigin(input: {
  url: URL;
  host: string | null;
  forwardedHost: string | null;
  publicOrigin: string | undefined;
}): URL | null {
  if (!input.publicOrigin || isMachinePath(input.url.pathname)) return null;
  const target = new URL(input.publicOrigin);
  const seen = (input.forwardedHost?.split(",")[0] ?? input.host ?? "").trim().toLowerCase();
  if (!seen || seen === target.host.toLowerCase()) return null;
  return new URL(`${input.url.pathname}${input.url.search}`, target.origin);
}
