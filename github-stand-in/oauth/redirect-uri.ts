import type { StandInClient } from "../options";

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

function parseHttpUrl(value: string): URL | null {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

function withinPath(path: string, prefix: string): boolean {
  if (path === prefix) return true;
  return path.startsWith(prefix.endsWith("/") ? prefix : `${prefix}/`);
}

/**
 * GitHub's OAuth App rule: same scheme, the registered host or a sub-domain of it, the same port
 * (any port for a loopback callback) and the registered path or a sub-path. A client registered
 * without a callback accepts any loopback URL, which suits a local demo whose port varies.
 */
export function redirectUriAllowed(client: StandInClient, candidate: string): boolean {
  const url = parseHttpUrl(candidate);
  if (!url || url.username || url.password) return false;
  if (!client.callbackUrlPrefix) return LOOPBACK_HOSTS.has(url.hostname);
  const registered = parseHttpUrl(client.callbackUrlPrefix);
  if (!registered || url.protocol !== registered.protocol) return false;
  const hostMatches = url.hostname === registered.hostname || url.hostname.endsWith(`.${registered.hostname}`);
  const portMatches = LOOPBACK_HOSTS.has(registered.hostname) || url.port === registered.port;
  return hostMatches && portMatches && withinPath(url.pathname, registered.pathname);
}

/**
 * A GitHub App's rule: the redirect_uri is one of its callback URLs exactly, except that a loopback callback accepts
 * any port (RFC 8252). An App registered without callbacks accepts any loopback URL, like the demo OAuth client.
 */
export function appRedirectAllowed(callbackUrls: readonly string[], candidate: string): boolean {
  const url = parseHttpUrl(candidate);
  if (!url || url.username || url.password) return false;
  if (callbackUrls.length === 0) return LOOPBACK_HOSTS.has(url.hostname);
  return callbackUrls.some((callback) => {
    const registered = parseHttpUrl(callback);
    if (!registered) return false;
    const samePort = LOOPBACK_HOSTS.has(registered.hostname) || url.port === registered.port;
    return (
      url.protocol === registered.protocol &&
      url.hostname === registered.hostname &&
      samePort &&
      url.pathname === registered.pathname &&
      url.search === registered.search
    );
  });
}

/** Appends parameters to a redirect URI without disturbing the query it already has. */
export function withParams(target: string, params: Record<string, string | null>): string {
  const url = new URL(target);
  for (const [name, value] of Object.entries(params)) if (value !== null) url.searchParams.append(name, value);
  return url.toString();
}
