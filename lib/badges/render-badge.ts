// Draws a badge with shields.io's own library, which escapes every text it is given: labels come from the URL
// (pipeline and stage names, `?label=`) and are never put into the SVG by hand.
import { makeBadge } from "badge-maker";
import type { BadgeStyle } from "./badge-request";
import { BADGE_MESSAGES, type BadgeState } from "./state";

export function renderBadge(input: { label: string; state: BadgeState; style: BadgeStyle }): string {
  const { message, color } = BADGE_MESSAGES[input.state];
  return makeBadge({ label: input.label, message, color, style: input.style });
}
