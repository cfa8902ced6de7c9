import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const root = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      "@/": root("./"),
      "server-only": root("./lib/server/testing/empty-module.ts"),
    },
  },
  test: {
    environment: "node",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "e2e/**", ".next/**", ".data/**"],
    globalSetup: ["./lib/server/testing/global-setup.ts"],
    env: { SKIP_ENV_VALIDATION: "", LOG_LEVEL: "silent" },
    // Most suites wait on PostgreSQL, the sandbox or the stand-in rather than the CPU, so two files at a time
    // nearly halve the run on a 2-core machine (Vitest's default is one fewer worker than cores). The time
    // limits guard against hangs only; simulations of hours of pipeline activity take tens of seconds.
    maxWorkers: 2,
    testTimeout: 90_000,
    hookTimeout: 120_000,
  },
});
