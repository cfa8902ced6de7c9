import "server-only";
import { BlockList, isIP } from "node:net";

// Where a webhook may point. A webhook URL is typed by a repository admin and then requested by the server,
// so without rules it would let anyone with admin on one repository make Stageboard call its own network
// (cloud metadata at 169.254.169.254, databases, admin consoles): server-side request forgery. The rules:
// - https only, to public addresses only;
// - with NOTIFY_ALLOW_PRIVATE_URLS=true (tests, the demo, an intranet chat server), also private and loopback
//   addresses, and plain http only to those;
// - never link-local, multicast, unspecified or reserved addresses (metadata services live there);
// - no credentials in the URL, no redirects followed (a public host could redirect inward).
// The host's addresses are checked at connect time, on the address actually dialled (http-post.ts), so a
// name that resolves differently between the check and the request (DNS rebinding) gains nothing.

export type AddressKind = "public" | "private" | "loopback" | "forbidden";

const forbidden = new BlockList();
const privateRanges = new BlockList();
const loopback = new BlockList();
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["169.254.0.0", 16],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const)
  forbidden.addSubnet(net, bits, "ipv4");
for (const [net, bits] of [
  ["::", 128],
  ["fe80::", 10],
  ["ff00::", 8],
  ["2001:db8::", 32],
  ["64:ff9b::", 96],
  ["100::", 64],
] as const)
  forbidden.addSubnet(net, bits, "ipv6");
for (const [net, bits] of [
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
] as const)
  privateRanges.addSubnet(net, bits, "ipv4");
privateRanges.addSubnet("fc00::", 7, "ipv6");
loopback.addSubnet("127.0.0.0", 8, "ipv4");
loopback.addAddress("::1", "ipv6");

/** An IPv4-mapped IPv6 address (::ffff:127.0.0.1, or ::ffff:7f00:1 as URL parsing writes it) as IPv4. */
function unmapped(ip: string): string {
  const dotted = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(ip);
  if (dotted?.[1]) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(ip);
  if (!hex?.[1] || !hex[2]) return ip;
  const [high, low] = [parseInt(hex[1], 16), parseInt(hex[2], 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join(".");
}

/** What kind of address `ip` is; an IPv4-mapped IPv6 address is judged as its IPv4 address. */
export function classifyAddress(ip: string): AddressKind {
  const address = unmapped(ip.toLowerCase());
  const family = isIP(address);
  if (family === 0) return "forbidden";
  const type = family === 6 ? "ipv6" : "ipv4";
  // Other IPv6 forms that embed an IPv4 address (6to4, Teredo, compatible) are refused rather than decoded.
  if (type === "ipv6" && /^(2002:|2001:0?:|::(?!1$)[0-9.]+$)/i.test(address)) return "forbidden";
  if (forbidden.check(address, type)) return "forbidden";
  if (loopback.check(address, type)) return "loopback";
  if (privateRanges.check(address, type)) return "private";
  return "public";
}

export type UrlPolicy = { allowPrivate: boolean };

/** Whether a request over `protocol` may go to `ip` under the policy; the reason in words when not. */
export function addressRefusal(ip: string, protocol: "http:" | "https:", policy: UrlPolicy): string | null {
  const kind = classifyAddress(ip);
  if (kind === "forbidden") return `${ip} is a reserved, link-local or multicast address`;
  if (kind !== "public" && !policy.allowPrivate)
    return `${ip} is a ${kind} address (set NOTIFY_ALLOW_PRIVATE_URLS=true to allow private receivers)`;
  if (protocol === "http:" && kind === "public") return "plain http is allowed only to private addresses; use https";
  return null;
}

export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** The checks that need no DNS: scheme, credentials, a literal address's kind. Run on save and before sending. */
export function checkWebhookUrl(raw: string, policy: UrlPolicy): UrlCheck {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return { ok: false, reason: "is not a URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: "must be an https URL" };
  if (url.protocol === "http:" && !policy.allowPrivate) return { ok: false, reason: "must be an https URL" };
  if (url.username || url.password) return { ok: false, reason: "must not contain a user name or password" };
  if (url.hash) return { ok: false, reason: "must not contain a #fragment" };
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    const refusal = addressRefusal(host, url.protocol, policy);
    if (refusal) return { ok: false, reason: `points at ${refusal}` };
  } else if (/^(localhost|.*\.localhost|.*\.internal|.*\.local)$/i.test(host) && !policy.allowPrivate) {
    return { ok: false, reason: `points at ${host}, a local name (set NOTIFY_ALLOW_PRIVATE_URLS=true to allow it)` };
  }
  return { ok: true, url };
}

/** What the page shows of a URL: its origin and the last 4 characters of the rest (Slack's are secrets). */
export function urlHint(url: URL): string {
  const rest = `${url.pathname}${url.search}`;
  return rest.length > 8 ? `${url.origin}/…${rest.slice(-4)}` : `${url.origin}${rest === "/" ? "" : "/…"}`;
}
