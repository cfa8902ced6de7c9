// Where a deployed environment can be opened, when the stage's own actions say it (pure): CodePipeline has no field
// for it, but deploy actions commonly export it as an output variable (a CloudFormation stack output, a CodeBuild
// exported variable, a Lambda invoke's output). GitHub shows it as the deployment's "View deployment" link, so only
// an absolute http(s) URL passes: the value is untrusted text from AWS.

/** Output variable names, compared without case or separators, in the order they win. */
const NAMES = ["environmenturl", "envurl", "deploymenturl", "url", "appurl", "serviceurl", "websiteurl", "siteurl"];
const MAX_LENGTH = 2048;

export type ActionOutputs = { category: string | null; outputVariables: unknown };

const normalise = (name: string) => name.toLowerCase().replace(/[^a-z0-9]/g, "");

function httpUrl(value: unknown): string | null {
  if (typeof value !== "string" || value.length > MAX_LENGTH) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === "https:" || url.protocol === "http:" ? url.href : null;
  } catch {
    return null;
  }
}

function fromVariables(variables: unknown): string | null {
  if (!variables || typeof variables !== "object" || Array.isArray(variables)) return null;
  const byName = new Map(Object.entries(variables).map(([name, value]) => [normalise(name), value]));
  for (const name of NAMES) {
    const url = httpUrl(byName.get(name));
    if (url) return url;
  }
  return null;
}

/** The first URL a Deploy action of the stage exports, else any other action's; null when none does. */
export function environmentUrlOf(actions: readonly ActionOutputs[]): string | null {
  const ordered = [
    ...actions.filter((a) => a.category === "Deploy"),
    ...actions.filter((a) => a.category !== "Deploy"),
  ];
  for (const action of ordered) {
    const url = fromVariables(action.outputVariables);
    if (url) return url;
  }
  return null;
}
