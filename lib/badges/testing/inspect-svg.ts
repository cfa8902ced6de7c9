// For tests: an SVG's structure read by hand, strictly enough that text smuggled in as markup shows. Outside
// tags only text and the five XML entities may appear; inside a tag only name="value" attributes.

export interface SvgStructure {
  elements: string[];
  attributes: string[];
  /** Text content, entities decoded. */
  text: string;
  /** Anything that is neither a well-formed tag nor plain text with known entities. */
  stray: string[];
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
const TAG = /^<\/?([A-Za-z][\w:-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*\/?>$/;

export function inspectSvg(svg: string): SvgStructure {
  const result: SvgStructure = { elements: [], attributes: [], text: "", stray: [] };
  for (const token of svg.split(/(<[^>]*>)/).filter(Boolean)) {
    if (token.startsWith("<")) {
      const tag = TAG.exec(token);
      if (!tag) {
        result.stray.push(token);
        continue;
      }
      if (!token.startsWith("</")) result.elements.push(tag[1] ?? "");
      for (const [, name = "", value = ""] of (tag[2] ?? "").matchAll(/([A-Za-z_:][\w:.-]*)="([^"]*)"/g)) {
        result.attributes.push(name);
        if (/&(?!(?:amp|lt|gt|quot|apos);)/.test(value)) result.stray.push(value);
      }
    } else if (/&(?!(?:amp|lt|gt|quot|apos);)|[<>]/.test(token)) {
      result.stray.push(token);
    } else {
      result.text += token.replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => ENTITIES[name] ?? "");
    }
  }
  return result;
}

/** What badge-maker draws with: nothing that runs, loads or embeds. */
export const BADGE_ELEMENTS = new Set([
  "svg",
  "title",
  "filter",
  "feGaussianBlur",
  "linearGradient",
  "stop",
  "clipPath",
  "rect",
  "g",
  "text",
  "path",
  "a",
  "style",
]);
