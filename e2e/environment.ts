import { readFileSync, realpathSync } from "node:fs";
import path from "node:path";

// Fixed addresses of the end-to-end stack (e2e/server.ts starts it), shared by the config and fixtures.
export const E2E = {
  dataDir: ".data/e2e",
  serverLog: ".data/e2e/server.log",
  appPort: 3100,
  appUrl: "http://localhost:3100",
  sandboxUrl: "http://127.0.0.1:4599",
  githubUrl: "http://127.0.0.1:4600",
  postgresPort: 5499,
} as const;

/**
 * The URL of the embedded database a launcher started with `dataDir` and `port`. Its password is kept beside the real
 * data folder, which, as root, is the target of the link in `dataDir` (lib/server/db/embedded-postgres.ts).
 */
export function embeddedDatabaseUrl(dataDir: string, port: number): string {
  const data = realpathSync(path.join(dataDir, "postgres"));
  const password = readFileSync(`${data}.password`, "utf8").trim();
  return `postgresql://stageboard:${encodeURIComponent(password)}@127.0.0.1:${port}/stageboard`;
}
