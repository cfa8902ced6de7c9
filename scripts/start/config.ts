import { z } from "zod";
import { realInstanceProblem } from "@/lib/config/real-instance";
import { ConfigError, describeIssue, serverSchema } from "@/lib/config/schema";

export type Config = z.infer<z.ZodObject<typeof serverSchema>>;

/**
 * Validates process.env with the app's own schema; a bad value becomes one actionable line, and so
 * does a real instance without what it needs (lib/config/real-instance.ts): `launcher` is `npm start`,
 * `process` any other process of the app (the worker, the database commands).
 */
export function readConfig(source: NodeJS.ProcessEnv = process.env, scope: "launcher" | "process" = "process"): Config {
  const input = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = z.object(serverSchema).safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? "environment");
    throw new ConfigError(describeIssue(name, issue?.message ?? "is invalid", source[name]));
  }
  const problem = realInstanceProblem(parsed.data, scope);
  if (problem) throw new ConfigError(problem);
  return parsed.data;
}
