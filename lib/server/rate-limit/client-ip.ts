import "server-only";
import { BlockList, isIP } from "node:net";

// Which address a request comes from, for the per-IP budget. Next gives neither proxy.ts nor route
// handlers the socket address: `next start` copies it into X-Forwarded-For, but only when the request
// carries no such header (next/dist/server/base-server.js, `??=`). So X-Forwarded-For is all there is:
//
// - TRUSTED_PROXIES set: entries are read from the right, skipping the proxies listed; the first
//   address that is not one of them is the client (anything further left was written by the client).
// - TRUSTED_PROXIES unset: the right-most entry, which is the socket address unless the client sent its
//   own header. A client talking to Stageboard directly can therefore choose its per-IP key; signed-in
//   traffic is also limited per user, which it cannot choose. Deployments reachable from the internet
//   should sit behind a proxy that appends the peer address, listed in TRUSTED_PROXIES.

/** Parsed TRUSTED_PROXIES: IPv4/IPv6 addresses and CIDR ranges (validated by lib/config/schema.ts). */
export function trustedProxyList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = "", bits] = entry.split("/");
    const family = isIP(address) === 6 ? "ipv6" : "ipv4";
    if (bits === undefined) list.addAddress(address, family);
    else list.addSubnet(address, Number(bits), family);
  }
  return list;
}

/** One X-Forwarded-For entry as an address: brackets, a port and the IPv4-mapped IPv6 prefix removed. */
export function normalizeAddress(raw: string): string | null {
  let value = raw.trim();
  if (value.length === 0 || value.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(value);
  if (bracketed?.[1]) value = bracketed[1];
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d{1,5}$/.test(value)) value = value.slice(0, value.lastIndexOf(":"));
  const zone = value.indexOf("%");
  if (zone > 0) value = value.slice(0, zone);
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(value);
  if (mapped?.[1]) value = mapped[1];
  const family = isIP(value);
  if (family === 0) return null;
  return family === 6 ? value.toLowerCase() : value;
}

function isTrusted(address: string, trusted: BlockList): boolean {
  return trusted.check(address, isIP(address) === 6 ? "ipv6" : "ipv4");
}

/**
 * The client address from X-Forwarded-For, or null when there is none to be found. An entry that is
 * not an address (garbage a client or a misconfigured proxy wrote) ends the walk: the address to its
 * right, the last hop that can be named, is used instead, so garbage cannot mint fresh keys.
 */
export function clientAddress(input: { forwardedFor: string | null; trustedProxies: BlockList }): string | null {
  const entries = (input.forwardedFor ?? "").split(",").slice(-32).reverse();
  let lastGood: string | null = null;
  for (const entry of entries) {
    const address = normalizeAddress(entry);
    if (!address) return lastGood;
    if (!isTrusted(address, input.trustedProxies)) return address;
    lastGood = address;
  }
  // Every hop was a trusted proxy (a request from the proxy itself): the left-most one.
  return lastGood;
}

/**
 * The per-IP budget's key: an IPv4 address, or an IPv6 address's /64 (one subscriber's network, from
 * which it can pick any of 2^64 addresses), or "unknown" when no address could be read.
 */
export function addressKey(address: string | null): string {
  if (!address) return "unknown";
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(":")}::/64`;
}

function expandIpv6(address: string): string[] {
  let text = address;
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", tail] = text.split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const middle = tail === undefined ? [] : Array<string>(8 - left.length - right.length).fill("0");
  return [...left, ...middle, ...right].map((group) => Number.parseInt(group || "0", 16).toString(16));
}
