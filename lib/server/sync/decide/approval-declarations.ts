// What a pipeline's declaration says about each of its manual approvals: how long AWS waits for an answer,
// and what the reviewer is shown (CustomData, ExternalEntityLink). Read from the stored declaration, which
// is JSON from AWS (or a sandbox, or an older row): untrusted, so every value is checked and bounded here.
import "server-only";
import { actionKey } from "./keys";

export interface ApprovalDeclaration {
  /** As declared; null when unset or not a number (see approvalExpiresAt for the bounds applied). */
  timeoutMinutes: number | null;
  customData: string | null;
  /** As given: made safe (http(s) only) where it is shown, not here. */
  externalEntityLink: string | null;
}

/** Approval declarations by `stage/action`. */
export type ApprovalDeclarations = ReadonlyMap<string, ApprovalDeclaration>;

/** AWS's bounds for `timeoutInMinutes`, and the wait when none is declared (CodePipeline quotas). */
export const APPROVAL_TIMEOUT_MINUTES = { min: 5, max: 86_400, unset: 7 * 24 * 60 } as const;

/** AWS accepts configuration values of 1–1000 characters: anything longer did not come from a valid declaration. */
export const CONFIGURATION_VALUE_MAX = 1_000;

const record = (value: unknown): Record<string, unknown> | null =>
  value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : null;

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

const name = (value: unknown): string | null => (typeof value === "string" && value.length > 0 ? value : null);

/** Postgres text cannot hold NUL, and a cut must not split a surrogate pair. */
function boundedText(value: unknown, max: number): string | null {
  if (typeof value !== "string") return null;
  const clean = value.replaceAll("\u0000", "");
  if (!clean.trim()) return null;
  if (clean.length <= max) return clean;
  const cut = clean.slice(0, max);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

/** A link cut short points somewhere else: an over-long one is dropped rather than shortened. */
function boundedLink(value: unknown): string | null {
  if (typeof value !== "string") return null;
  const link = value.trim();
  return link && link.length <= CONFIGURATION_VALUE_MAX && !link.includes("\u0000") ? link : null;
}

/** Every `Approval` action of a stored pipeline declaration (`{ stages: [{ name, actions: [...] }] }`). */
export function approvalDeclarations(declaration: unknown): Map<string, ApprovalDeclaration> {
  const out = new Map<string, ApprovalDeclaration>();
  for (const stage of list(record(declaration)?.stages)) {
    const stageName = name(record(stage)?.name);
    if (!stageName) continue;
    for (const item of list(record(stage)?.actions)) {
      const action = record(item);
      const actionName = name(action?.name);
      if (!action || !actionName || record(action.actionTypeId)?.category !== "Approval") continue;
      const configuration = record(action.configuration);
      const timeout = action.timeoutInMinutes;
      out.set(actionKey(stageName, actionName), {
        timeoutMinutes: typeof timeout === "number" && Number.isFinite(timeout) ? timeout : null,
        customData: boundedText(configuration?.CustomData, CONFIGURATION_VALUE_MAX),
        externalEntityLink: boundedLink(configuration?.ExternalEntityLink),
      });
    }
  }
  return out;
}

/**
 * When AWS gives up on an approval requested at `requestedAt`: the declared timeout held to AWS's bounds, so
 * a declaration from an odd source never makes an approval expire at once or never.
 */
export function approvalExpiresAt(requestedAt: Date, timeoutMinutes: number | null): Date {
  const { min, max, unset } = APPROVAL_TIMEOUT_MINUTES;
  const minutes = timeoutMinutes === null || !Number.isFinite(timeoutMinutes) ? unset : timeoutMinutes;
  return new Date(requestedAt.getTime() + Math.min(max, Math.max(min, minutes)) * 60_000);
}

export type ApprovalFacts = Pick<ApprovalDeclaration, "customData" | "externalEntityLink">;

/**
 * What to write to a stored approval so it shows what its declaration says; null when it already does, or
 * when no declaration is known (a definition not stored yet must not erase what was stored).
 */
export function approvalFactsUpdate(stored: ApprovalFacts, declared: ApprovalDeclaration | null): ApprovalFacts | null {
  if (!declared) return null;
  if (stored.customData === declared.customData && stored.externalEntityLink === declared.externalEntityLink)
    return null;
  return { customData: declared.customData, externalEntityLink: declared.externalEntityLink };
}
