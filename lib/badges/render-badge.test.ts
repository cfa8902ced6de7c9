import { describe, expect, it } from "vitest";
import { BADGE_STYLES } from "./badge-request";
import { renderBadge } from "./render-badge";
import { BADGE_ELEMENTS, inspectSvg } from "./testing/inspect-svg";

const HOSTILE = `"><script>alert(1)</script><img src=x onerror=alert(2)>&`;

describe("drawing a badge", () => {
  it("writes the label and the state's words, in every style", () => {
    for (const style of BADGE_STYLES) {
      const svg = renderBadge({ label: "web-app", state: "waiting", style });
      expect(svg.startsWith("<svg"), style).toBe(true);
      expect(svg.toLowerCase(), style).toContain("waiting for approval");
    }
    expect(renderBadge({ label: "build", state: "failing", style: "flat" })).toContain("build: failing");
  });

  it("escapes a hostile label: it comes back as text, and no element or attribute of its own reaches the SVG", () => {
    const svg = renderBadge({ label: HOSTILE, state: "passing", style: "flat" });
    const structure = inspectSvg(svg);
    expect(structure.stray).toEqual([]);
    expect(structure.elements.filter((name) => !BADGE_ELEMENTS.has(name))).toEqual([]);
    expect(structure.attributes.filter((name) => /^on|href/i.test(name))).toEqual([]);
    expect(structure.text).toContain(HOSTILE);
  });
});
