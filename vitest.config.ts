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
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
