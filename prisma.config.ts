import "dotenv/config";
import { defineConfig } from "prisma/config";

// `prisma migrate deploy` works with this file wherever Prisma's native engine can be installed;
// `npm run db:migrate` applies the same migrations with the WebAssembly engine (scripts/db/).
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/stageboard" },
});
