import type { JsonObject } from "../http/body";
import { isJsonObject } from "../http/body";
import type { StandInState } from "../state";
import type { CreationKind } from "../faults/faults";
import { CREATION_KINDS, LOSS_MODES } from "../faults/faults";
import { isOneOf } from "../world/records";

const MAX_COUNT = 10_000;

function count(value: unknown): number | undefined {
  return typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= MAX_COUNT ? value : undefined;
}

/**
 * POST /_stand-in/faults – arms failures; each key is optional and the others stay as they were:
 * {"secondaryLimit": {"count", "retryAfter"?}} – the next N content-creating requests answer 403 (secondary limit);
 * {"loseAnswers": {"count", "mode"?: "502"|"drop", "kinds"?: [...]}} – the next N creations are done, then lost;
 * {"budget": {"scale"} | null} – GitHub's 80/minute and 500/hour for content creation, times scale, or off;
 * {"clear": true} – everything off first.
 */
export function setFaults(state: StandInState, body: JsonObject): { status: number; body: unknown } {
  const bad = (error: string) => ({ status: 400, body: { error } });
  const faults = state.faults;
  const { secondaryLimit, loseAnswers, budget } = body;
  if (body.clear !== undefined && body.clear !== true) return bad("clear must be true");

  let secondary: { count: number; retryAfter: number } | undefined;
  if (secondaryLimit !== undefined) {
    if (!isJsonObject(secondaryLimit)) return bad("secondaryLimit must be an object");
    const n = count(secondaryLimit.count);
    const retryAfter = secondaryLimit.retryAfter === undefined ? 60 : count(secondaryLimit.retryAfter);
    if (n === undefined || retryAfter === undefined) return bad("secondaryLimit needs count and retryAfter seconds");
    secondary = { count: n, retryAfter };
  }
  let loss: { count: number; mode: "502" | "drop"; kinds: CreationKind[] } | undefined;
  if (loseAnswers !== undefined) {
    if (!isJsonObject(loseAnswers)) return bad("loseAnswers must be an object");
    const n = count(loseAnswers.count);
    const mode = loseAnswers.mode ?? "502";
    const kinds = loseAnswers.kinds ?? [...CREATION_KINDS];
    if (n === undefined) return bad("loseAnswers needs a count");
    if (!isOneOf(LOSS_MODES, mode)) return bad(`mode must be one of ${LOSS_MODES.join(", ")}`);
    const known = Array.isArray(kinds) ? kinds.filter((k): k is CreationKind => isOneOf(CREATION_KINDS, k)) : [];
    if (!Array.isArray(kinds) || kinds.length === 0 || known.length !== kinds.length)
      return bad(`kinds must list some of ${CREATION_KINDS.join(", ")}`);
    loss = { count: n, mode, kinds: known };
  }
  let scale: number | null | undefined;
  if (budget === null) scale = null;
  else if (budget !== undefined) {
    if (!isJsonObject(budget) || typeof budget.scale !== "number" || !(budget.scale > 0) || budget.scale > 100)
      return bad("budget must be null or {scale} with 0 < scale ≤ 100");
    scale = budget.scale;
  }

  if (body.clear === true) faults.clear();
  if (secondary) faults.armSecondaryLimit(secondary.count, secondary.retryAfter);
  if (loss) faults.armLoss(loss.count, loss.mode, loss.kinds);
  if (scale !== undefined) faults.setBudget(scale);
  return { status: 200, body: faults.toJson() };
}
