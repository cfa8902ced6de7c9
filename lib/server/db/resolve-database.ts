import "server-only";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/server/db/embedded-postgres";

export type ResolvedDatabase = { url: string; embedded: boolean; stop(): Promise<void> };

/** `DATABASE_URL` when configured; otherwise the embedded server whose data lives in `<dataDir>/postgres`. */
export async function resolveDatabase(options: {
  databaseUrl?: string;
  dataDir: string;
  port?: number;
}): Promise<ResolvedDatabase> {
  if (options.databaseUrl) return { url: options.databaseUrl, embedded: false, stop: async () => {} };
  const server = await startEmbeddedPostgres({ dataDir: path.join(options.dataDir, "postgres"), port: options.port });
  const url = await server.createDatabase("stageboard");
  return { url, embedded: true, stop: () => server.stop() };
}
