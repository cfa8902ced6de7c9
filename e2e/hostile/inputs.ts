// Generated hostile input: malformed escapes, over-long and wrongly typed values, markup that must
// never come back unescaped, and bodies that are not what a route expects.
import fc from "fast-check";

/** Markup that, found verbatim in an HTML answer, means input was echoed unescaped. */
export const MARKER = "<hostile-echo>";

const nasty = fc.constantFrom(
  "%",
  "%zz",
  "%E0%A4%A",
  "%%",
  "%00",
  "..%2F..%2Fetc%2Fpasswd",
  "%C0%AE%C0%AE",
  "-1",
  "0",
  "1e309",
  "NaN",
  "null",
  "[]",
  "{}",
  "true",
  "__proto__",
  "constructor",
  `${MARKER}"'><script>alert(1)</script>`,
  "x".repeat(5_000),
  "%41".repeat(3_000),
);

/** One value for a path segment, query value or header: raw text that may hold escapes of its own. */
export const hostileText = fc.oneof(
  nasty,
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.tuple(fc.string({ maxLength: 10 }), nasty).map(([a, b]) => `${a}${b}`),
  fc.integer().map(String),
  fc.double().map(String),
);

/** Encodes what a URL cannot carry raw (spaces, controls, non-ASCII) but leaves `%` alone, so malformed escapes arrive. */
export function rawUrlPart(text: string): string {
  return Array.from(text)
    .map((ch) => (/^[\x21-\x7e]$/.test(ch) && !"#?/ ".includes(ch) ? ch : encodeURIComponent(ch)))
    .join("");
}

export const hostileQuery = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("status", "branch", "commit", "cursor", "q", "scope", "all", "tab", "since", "callbackUrl"),
        hostileText,
      ),
      hostileText,
    ),
    {
      maxLength: 6,
    },
  )
  .map((pairs) => pairs.map(([k, v]) => `${rawUrlPart(k)}=${rawUrlPart(v)}`).join("&"));

export type HostileBody = { contentType: string | undefined; body: string | Buffer | undefined };

export const hostileBody: fc.Arbitrary<HostileBody> = fc.oneof(
  fc.jsonValue().map((v) => ({ contentType: "application/json", body: JSON.stringify(v) ?? "null" })),
  fc.string().map((s) => ({ contentType: "application/json", body: s })),
  fc.string().map((s) => ({ contentType: "application/x-www-form-urlencoded", body: s })),
  fc.uint8Array({ maxLength: 200 }).map((b) => ({ contentType: "application/octet-stream", body: Buffer.from(b) })),
  fc.constant({ contentType: "application/json", body: `{"a":"${"x".repeat(600 * 1024)}"}` }),
  fc.constant({ contentType: undefined, body: undefined }),
  // Shaped like CodePipeline's EventBridge events (alone or batched), but never carrying the shared secret.
  fc
    .tuple(
      fc.record({
        id: fc.string().map((s) => `hostile-${s}`),
        source: fc.constant("aws.codepipeline"),
        "detail-type": fc.constantFrom(
          "CodePipeline Pipeline Execution State Change",
          "CodePipeline Action Execution State Change",
        ),
        detail: fc.jsonValue(),
      }),
      fc.boolean(),
    )
    .map(([event, batched]) => ({ contentType: "application/json", body: JSON.stringify(batched ? [event] : event) })),
);
