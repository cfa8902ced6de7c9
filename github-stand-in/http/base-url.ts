import type { IncomingMessage } from "node:http";

// Host names, IPv4 and bracketed IPv6, with an optional port; anything else in Host is ignored.
const HOST_HEADER = /^(?:[A-Za-z0-9.-]{1,253}|\[[0-9A-Fa-f:.]{2,45}\])(?::\d{1,5})?$/;

/**
 * Links must point at the host and port the client used (PyGithub rejects any other), so the base
 * comes from a configured public URL, else from a well-formed Host header, else the listening address.
 */
export function publicBase(req: IncomingMessage, configured: string | undefined, listening: string): string {
  if (configured) return configured.replace(/\/+$/, "");
  const host = req.headers.host;
  if (host && HOST_HEADER.test(host)) return `http://${host}`;
  return listening;
}
