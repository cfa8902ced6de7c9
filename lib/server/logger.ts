import "server-only";
import pino from "pino";
import { env } from "@/lib/env";

// JSON lines everywhere (pipe through `pino-pretty` to read them locally). Anything that could
// carry a credential is redacted by path, so a careless `logger.info({ req })` cannot leak it.
export const logger = pino({
  level: env.LOG_LEVEL,
  base: { service: "stageboard" },
  redact: {
    paths: [
      "*.authorization",
      "*.cookie",
      "*.access_token",
      "*.refresh_token",
      "*.token",
      "*.secret",
      "*.password",
      "headers.authorization",
      "headers.cookie",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    censor: "[redacted]",
  },
});

export type Logger = typeof logger;
