// Opaque page tokens: base64url JSON plus a keyed checksum, so a forged, truncated or foreign token is
// rejected with InvalidNextTokenException instead of silently paging from the wrong place.
import { hash32 } from "../core/hash";
import { AwsError } from "../core/errors";

export interface PagePosition {
  /** Operation and list the token belongs to (e.g. `ListPipelineExecutions|web-app|<filter>`). */
  scope: string;
  /** Position counted from the oldest end, so items added at the newest end do not shift later pages. */
  fromEnd: number;
}

export function encodeToken(secret: string, pos: PagePosition): string {
  const body = JSON.stringify([pos.scope, pos.fromEnd]);
  const sum = hash32(body, hash32(secret)).toString(36);
  return Buffer.from(`${sum}.${body}`).toString("base64url");
}

export function decodeToken(secret: string, token: string, scope: string): number {
  const invalid = new AwsError(
    "InvalidNextTokenException",
    "The next token was specified in an invalid format. Make sure that the next token you provide is the token returned by a previous call.",
  );
  const text = Buffer.from(token, "base64url").toString("utf8");
  const dot = text.indexOf(".");
  const body = text.slice(dot + 1);
  if (dot < 1 || hash32(body, hash32(secret)).toString(36) !== text.slice(0, dot)) throw invalid;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid;
  }
  if (
    !Array.isArray(parsed) ||
    parsed[0] !== scope ||
    typeof parsed[1] !== "number" ||
    !Number.isInteger(parsed[1]) ||
    parsed[1] < 0
  )
    throw invalid;
  return parsed[1];
}

/**
 * Pages a newest-first list of `total` items. Returns the index range to read now and the token for the next
 * page (absent on the last page, so SDK paginators stop).
 */
export function page(
  secret: string,
  scope: string,
  total: number,
  max: number,
  token: string | undefined,
): { start: number; end: number; next?: string } {
  const start = token === undefined ? 0 : Math.max(0, total - decodeToken(secret, token, scope));
  const end = Math.min(total, start + max);
  return end < total ? { start, end, next: encodeToken(secret, { scope, fromEnd: total - end }) } : { start, end };
}
