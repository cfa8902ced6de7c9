// When Stageboard may run on stand-ins. With nothing configured, `npm start` is a quick start on one
// machine: the password-less GitHub stand-in (anyone who reaches it signs in as the administrator
// `ada`) and secrets generated into the data folder. As soon as anything real is configured (AWS
// targets, a GitHub OAuth App, a database of its own), that is refused: real data must not sit behind
// the stand-in, and generated secrets break with an ephemeral disk (sessions and stored tokens stop
// opening) and differ between the instances of a scaled-out deployment. A demo on real settings is
// still possible, but only when asked for (STAGEBOARD_DEMO=true).

export interface InstanceSettings {
  DATABASE_URL?: string;
  STAGEBOARD_TARGETS?: unknown;
  AWS_REGION?: string;
  GITHUB_CLIENT_ID?: string;
  GITHUB_CLIENT_SECRET?: string;
  NEXTAUTH_SECRET?: string;
  TOKEN_ENCRYPTION_KEY?: string;
  STAGEBOARD_DEMO: boolean;
}

export type Instance =
  | { kind: "quick-start" }
  /** `configured`: the settings that make it real, named (never their values). */
  | { kind: "demo"; configured: string[] }
  | { kind: "real"; configured: string[] };

/** Each setting that makes an instance real; any DATABASE_URL counts, localhost included. */
const REAL_TRIGGERS = ["STAGEBOARD_TARGETS", "AWS_REGION", "GITHUB_CLIENT_ID", "DATABASE_URL"] as const;

export function classifyInstance(settings: InstanceSettings): Instance {
  const configured = REAL_TRIGGERS.filter((name) => settings[name] !== undefined);
  if (configured.length === 0) return { kind: "quick-start" };
  return settings.STAGEBOARD_DEMO ? { kind: "demo", configured } : { kind: "real", configured };
}

const list = (names: readonly string[]) =>
  names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;

/**
 * The one line a real instance that lacks what it needs stops with, or null. `launcher` is `npm start`,
 * which would otherwise start the GitHub stand-in and generate secrets; `process` is any process of the
 * app (next start, npm run worker), which needs the secrets only.
 */
export function realInstanceProblem(settings: InstanceSettings, scope: "launcher" | "process"): string | null {
  const instance = classifyInstance(settings);
  if (instance.kind !== "real") return null;
  const missing = (names: readonly (keyof InstanceSettings)[]) => names.filter((name) => !settings[name]);
  const github = scope === "launcher" ? missing(["GITHUB_CLIENT_ID", "GITHUB_CLIENT_SECRET"]) : [];
  const secrets = missing(["NEXTAUTH_SECRET", "TOKEN_ENCRYPTION_KEY"]);
  if (github.length === 0 && secrets.length === 0) return null;
  const needs = [
    ...(github.length
      ? [`${list(github)} (a GitHub OAuth App; the stand-in lets anyone sign in as an administrator)`]
      : []),
    ...(secrets.length
      ? [
          `${list(secrets)} (${secrets.length > 1 ? "each " : ""}\`openssl rand -base64 32\`, the same on every instance)`,
        ]
      : []),
  ];
  const set = `${list(instance.configured)} ${instance.configured.length > 1 ? "are" : "is"} set`;
  if (scope === "process")
    return `Refusing to start a real instance (${set}) without ${list(secrets)}: set ${needs[0]}`;
  const on = list([
    ...(github.length ? ["the GitHub stand-in"] : []),
    ...(secrets.length ? ["generated secrets"] : []),
  ]);
  return `Refusing to start a real instance (${set}) on ${on}: set ${needs.join(", ")}, or STAGEBOARD_DEMO=true for a demo`;
}
