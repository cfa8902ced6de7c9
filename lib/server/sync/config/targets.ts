// Targets (AWS account + region, or the sandbox) from configuration: STAGEBOARD_TARGETS, else AWS_REGION
// with an optional CODEPIPELINE_ENDPOINT as a single target.
import "server-only";
import type { TargetConfig } from "@/lib/config/schema";

export type ResolvedTarget = TargetConfig & { id: string };

interface TargetEnv {
  STAGEBOARD_TARGETS?: TargetConfig[] | undefined;
  AWS_REGION?: string | undefined;
  CODEPIPELINE_ENDPOINT?: string | undefined;
}

export function targetId(target: TargetConfig): string {
  if (target.id) return target.id;
  const host = target.endpoint ? `-${new URL(target.endpoint).host.replace(/[^a-zA-Z0-9.-]/g, "-")}` : "";
  return `${target.accountId ?? "default"}-${target.region}${host}`.slice(0, 64);
}

export function targetsFromEnv(env: TargetEnv): ResolvedTarget[] {
  const configured =
    env.STAGEBOARD_TARGETS ?? (env.AWS_REGION ? [{ region: env.AWS_REGION, endpoint: env.CODEPIPELINE_ENDPOINT }] : []);
  const seen = new Set<string>();
  const out: ResolvedTarget[] = [];
  for (const target of configured) {
    const id = targetId(target);
    if (seen.has(id)) continue;
    seen.add(id);
    const resolved: ResolvedTarget = { ...target, id };
    if (resolved.endpoint === undefined) delete resolved.endpoint;
    out.push(resolved);
  }
  return out;
}
