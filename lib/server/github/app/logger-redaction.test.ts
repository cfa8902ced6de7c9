import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger } from "@/lib/server/logger";

// A GitHub App's credentials under the names Stageboard and GitHub give them never reach a log line, even when a
// whole credentials object or conversion answer is logged by mistake.
describe("log redaction of GitHub App credentials", () => {
  it("censors the private key, the webhook and client secrets, top-level and nested", () => {
    const lines: string[] = [];
    const logger = createLogger(
      new Writable({
        write(chunk: Buffer, _encoding, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    );
    logger.level = "info";
    logger.info({ privateKey: "PK-1", webhookSecret: "WH-1", clientSecret: "CS-1" }, "credentials");
    logger.info({ app: { privateKey: "PK-2", webhookSecret: "WH-2", clientSecret: "CS-2" } }, "nested");
    logger.info({ conversion: { pem: "PK-3", webhook_secret: "WH-3", client_secret: "CS-3" } }, "GitHub's answer");
    const out = lines.join("");
    for (const leaked of ["PK-1", "PK-2", "PK-3", "WH-1", "WH-2", "WH-3", "CS-1", "CS-2", "CS-3"])
      expect(out).not.toContain(leaked);
    expect(out.match(/\[redacted\]/g)).toHaveLength(9);
  });
});
