import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/server/logger";

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { logger: createLogger(stream), text: () => lines.join("") };
}

describe("logger", () => {
  it("never writes tokens, secrets, cookies or authorization headers", () => {
    const { logger, text } = capture();
    logger.level = "info";
    logger.info(
      {
        token: "gho_top",
        account: { access_token: "gho_nested", refresh_token: "ghr_x" },
        req: { headers: { authorization: "Bearer gho_hdr", cookie: "next-auth.session-token=abc" } },
      },
      "sign-in",
    );
    logger.warn({ secret: "s3cr3t", password: "hunter2", session: { sessionToken: "tok" } }, "config");
    const out = text();
    for (const leaked of [
      "gho_top",
      "gho_nested",
      "ghr_x",
      "gho_hdr",
      "session-token=abc",
      "s3cr3t",
      "hunter2",
      '"tok"',
    ])
      expect(out).not.toContain(leaked);
    expect(out.match(/\[redacted\]/g)?.length).toBeGreaterThanOrEqual(8);
    expect(out).toContain('"msg":"sign-in"');
  });
});
