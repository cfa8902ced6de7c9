import "server-only";
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { addressRefusal, checkWebhookUrl, type UrlPolicy } from "@/lib/server/notify/url-policy";

// The one place a webhook is requested. Every address the host resolves to is checked against the URL policy
// when the socket is about to connect (a literal address before that), no redirect is followed, the whole
// exchange has a deadline, and at most a few kilobytes of the answer are read.

export type PostOptions = {
  url: string;
  body: string;
  headers: Record<string, string>;
  policy: UrlPolicy;
  timeoutMs?: number;
  /** Bytes of the answer read (to show in the delivery log); the rest is discarded unread. */
  maxResponseBytes?: number;
};

export type PostResult =
  | { kind: "answered"; status: number; excerpt: string; durationMs: number }
  /** `refused`: the URL policy stopped it before anything was sent (retrying cannot help). */
  | { kind: "failed"; error: string; durationMs: number; refused: boolean };

class RefusedAddress extends Error {}

/** dns.lookup that fails for a name resolving to any address the policy refuses (exported for its tests). */
export function guardedLookup(protocol: "http:" | "https:", policy: UrlPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { family: options.family, hints: options.hints, all: true }, (error, found) => {
      if (error) return callback(error, "", 0);
      const addresses = found;
      // One refused address refuses the name: a host that resolves both outside and inside is not trusted.
      const refusal = addresses.map((a) => addressRefusal(a.address, protocol, policy)).find(Boolean);
      if (refusal || !addresses.length) {
        return callback(new RefusedAddress(`${hostname} resolves to ${refusal ?? "no address"}`), "", 0);
      }
      if (options.all) return callback(null, addresses);
      const [first] = addresses as [LookupAddress];
      callback(null, first.address, first.family);
    });
  };
}

/** Text safe to store and show: printable characters only, one line, bounded. */
export function excerptOf(text: string, max = 200): string {
  const flat = text.replace(/[^\x20-\x7e\u00a0-\uffff]+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

const waited = (ms: number) => (ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`);

export async function postWebhook(options: PostOptions): Promise<PostResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const check = checkWebhookUrl(options.url, options.policy);
  if (!check.ok) return { kind: "failed", error: `Not sent: the URL ${check.reason}`, durationMs: 0, refused: true };
  const { url } = check;
  const protocol = url.protocol === "https:" ? "https:" : "http:";
  const maxBytes = options.maxResponseBytes ?? 4096;
  const signal = AbortSignal.timeout(options.timeoutMs ?? 10_000);
  const request = protocol === "https:" ? https.request : http.request;
  return new Promise<PostResult>((resolve) => {
    let settled = false;
    const finish = (result: PostResult) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const req = request(
      url,
      {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "content-length": String(Buffer.byteLength(options.body)),
          "user-agent": "Stageboard-Webhooks/1",
          ...options.headers,
        },
        lookup: guardedLookup(protocol, options.policy),
        signal,
        // A fresh connection per delivery: no socket of an earlier (differently resolved) request is reused.
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const done = () => {
          const excerpt = excerptOf(Buffer.concat(chunks).toString("utf8").slice(0, maxBytes));
          finish({ kind: "answered", status: res.statusCode ?? 0, excerpt, durationMs: elapsed() });
          res.destroy();
        };
        res.on("data", (chunk: Buffer) => {
          if (size < maxBytes) chunks.push(chunk.subarray(0, maxBytes - size));
          size += chunk.length;
          if (size >= maxBytes) done();
        });
        res.on("end", done);
        res.on("error", done);
      },
    );
    req.on("error", (error) => {
      const message =
        error instanceof RefusedAddress
          ? `Not sent: ${error.message}`
          : signal.aborted
            ? `No answer within ${waited(options.timeoutMs ?? 10_000)}`
            : `Could not reach the receiver: ${excerptOf(error.message)}`;
      finish({ kind: "failed", error: message, durationMs: elapsed(), refused: error instanceof RefusedAddress });
    });
    req.end(options.body);
  });
}
