import { z } from "zod";
import { ConfigError, describeIssue, serverSchema } from "@/lib/config/schema";

export type Config = z.infer<z.ZodObject<typeof serverSchema>>;

/** Validates process.env with the app's own schema; a bad value becomes one actionable line. */
export function readConfig(source: NodeJS.ProcessEnv = process.env): Config {
  const input = Object.fromEntries(Object.entries(source).filter(([, value]) => value !== ""));
  const parsed = z.object(serverSchema).safeParse(input);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const name = String(issue?.path[0] ?? "environment");
  throw new ConfigError(describeIssue(name, issue?.message ?? "is invalid", source[name]));
}
