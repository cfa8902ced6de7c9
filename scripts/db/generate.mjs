// npm run db:generate – `prisma generate`, also where Prisma's native engines cannot be downloaded:
// generating the client only checks that a schema engine binary exists, it never runs it.
import { spawnSync } from "node:child_process";

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
const result = spawnSync(process.execPath, ["node_modules/prisma/build/index.js", "generate"], {
  stdio: "inherit",
  env,
});
process.exit(result.status ?? 1);
