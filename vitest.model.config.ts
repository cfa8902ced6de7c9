// The suites that need botocore's full CodePipeline model (`*.model-test.ts`), run by
// scripts/test-model.mjs (npm run test:model), which passes the model's path. Same aliases and
// environment as vitest.config.ts; no database, since none of these suites uses one.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.js";

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: ["**/*.model-test.ts"],
    globalSetup: [],
  },
});
