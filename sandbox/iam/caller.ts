// Who signed a request, and whether they may call an operation on a resource. Long-term (base) credentials keep
// full access, as they always had in the sandbox; temporary credentials from AssumeRole act as their role.
import type { IncomingHttpHeaders } from "node:http";
import { checkToken, isTemporaryKey, type Session } from "./credentials";
import { allows, roleNameOf, type RoleConfig } from "./roles";

export type Caller = { kind: "base"; arn: string } | { kind: "session"; arn: string; session: Session };

export type Identified = { kind: "caller"; caller: Caller } | { kind: "refused"; type: string; message: string };

export interface IamOptions {
  account: string;
  secret: string;
  roles: RoleConfig[];
  /** Wall clock that issues and expires temporary credentials. */
  now: () => number;
}

export function assumedRoleArn(account: string, roleArn: string, sessionName: string): string {
  return `arn:aws:sts::${account}:assumed-role/${roleNameOf(roleArn) ?? "unknown"}/${sessionName}`;
}

function accessKeyOf(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  return typeof auth === "string" ? /Credential=([^/,\s]+)\//.exec(auth)?.[1] : undefined;
}

export class Iam {
  readonly account: string;
  readonly secret: string;
  readonly now: () => number;
  private roleList: RoleConfig[];

  constructor(options: IamOptions) {
    this.account = options.account;
    this.secret = options.secret;
    this.now = options.now;
    this.roleList = options.roles;
  }

  get roles(): RoleConfig[] {
    return this.roleList;
  }

  setRoles(roles: RoleConfig[]): void {
    this.roleList = roles;
  }

  role(arn: string): RoleConfig | undefined {
    return this.roleList.find((r) => r.arn === arn);
  }

  /** The identity the sandbox always answered as for long-term credentials. */
  get baseArn(): string {
    return `arn:aws:sts::${this.account}:assumed-role/StageboardOperator/stageboard`;
  }

  identify(headers: IncomingHttpHeaders): Identified {
    const key = accessKeyOf(headers);
    if (!key || !isTemporaryKey(key)) return { kind: "caller", caller: { kind: "base", arn: this.baseArn } };
    const token = headers["x-amz-security-token"];
    const check = checkToken(this.secret, key, typeof token === "string" ? token : undefined, this.now());
    if (check.kind === "expired")
      return {
        kind: "refused",
        type: "ExpiredTokenException",
        message: "The security token included in the request is expired",
      };
    if (check.kind === "invalid")
      return {
        kind: "refused",
        type: "UnrecognizedClientException",
        message: "The security token included in the request is invalid.",
      };
    const { session } = check;
    return {
      kind: "caller",
      caller: { kind: "session", arn: assumedRoleArn(this.account, session.roleArn, session.sessionName), session },
    };
  }

  /** Undefined when allowed; otherwise AWS's AccessDenied message naming the caller, the action and the resource. */
  denial(caller: Caller, action: string, resource: string): string | undefined {
    if (caller.kind === "base") return undefined;
    const role = this.role(caller.session.roleArn);
    if (role && allows(role, action, resource)) return undefined;
    return `User: ${caller.arn} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`;
  }
}
