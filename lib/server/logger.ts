import "server-only";
import pino, { type DestinationStream } from "pino";
import { env } from "@/lib/env";

// JSON lines everywhere (pipe through `pino-pretty` to read them locally). Anything that could
// carry a credential is redacted by path, so a careless `logger.info({ req })` cannot leak it.
export const REDACTED_PATHS = [
  "authorization",
  "cookie",
  "access_token",
  "refresh_token",
  "token",
  "secret",
  "password",
  "sessionToken",
  "*.authorization",
  "*.cookie",
  "*.access_token",
  "*.refresh_token",
  "*.token",
  "*.secret",
  "*.password",
  "*.sessionToken",
  "*.headers.authorization",
  "*.headers.cookie",
  "*.headers.set-cookie",
];

export function createLogger(destination?: DestinationStream) {
  const options = {
    level: env.LOG_LEVEL,
    base: { service: "stageboard" },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  return destination ? pino(options, destination) : pino(options);
}

export const logger = createLogger();
export type Logger = typeof logger;
