import { createEnv } from "@t3-oss/env-nextjs";
// Relative, not "@/": next.config.mjs loads this file through jiti, which does not read tsconfig paths.
import { githubAppConfigProblem, githubAppSchema } from "./config/github-app";
import { realInstanceProblem } from "./config/real-instance";
import { ConfigError, describeIssue, serverSchema } from "./config/schema";
import { signInConfigProblem, signInSchema } from "./config/sign-in";
import { writebackSchema } from "./config/writeback";

export const env = createEnv({
  server: { ...serverSchema, ...githubAppSchema, ...signInSchema, ...writebackSchema },
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

// Every process of the app (next start, npm run worker) refuses to run a real instance without its own
// secrets, not only `npm start`, which passes the quick start's generated ones (lib/config/real-instance.ts),
// refuses a GitHub App configured by halves (lib/config/github-app.ts) and a sign-in it cannot offer (sign-in.ts).
if (!process.env.SKIP_ENV_VALIDATION && typeof window === "undefined") {
  const problem = realInstanceProblem(env, "process") ?? githubAppConfigProblem(env) ?? signInConfigProblem(env);
  if (problem) throw new ConfigError(problem);
}
