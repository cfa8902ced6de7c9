// Connection and host ARNs exist under two service prefixes (codestar-connections, and codeconnections
// since the rename) for the same resource, so they are compared by what identifies the resource.
import "server-only";

const ARN =
  /^arn:(aws[a-z-]*):(?:codestar-connections|codeconnections):([a-z0-9-]+):(\d{12}):(connection|host)\/([A-Za-z0-9._/-]{1,200})$/;

/** `partition:region:account:kind/id`, or null for anything that is not a connection or host ARN. */
export function connectionKey(arn: string | null | undefined): string | null {
  if (!arn) return null;
  const m = ARN.exec(arn);
  if (!m) return null;
  const [, partition, region, account, kind, id] = m;
  return `${partition}:${region}:${account}:${kind}/${id}`;
}
