import { createEnv } from "@t3-oss/env-nextjs";
// Relative, not "@/": next.config.mjs loads this file through jiti, which does not read tsconfig paths.
import { ConfigError, describeIssue, serverSchema } from "./config/schema";

export const env = createEnv({
  server: serverSchema,
  client: {},
  experimental__runtimeEnv: {},
  emptyStringAsUndefined: true,
  skipValidation: !!process.env.SKIP_ENV_VALIDATION,
  onValidationError: (issues) => {
    const first = issues[0];
    const segment = first?.path?.[0];
    const name = String(typeof segment === "object" ? segment.key : (segment ?? "environment"));
    throw new ConfigError(describeIssue(name, first?.message ?? "is invalid", process.env[name]));
  },
});
