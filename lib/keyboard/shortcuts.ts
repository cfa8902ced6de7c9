// GitHub's keyboard conventions: "/" focuses the page's search box, "?" lists the shortcuts. A key
// typed into a field, or pressed with a modifier (the browser's own shortcuts), is never taken.

export type ShortcutDecision = { kind: "focus-search" } | { kind: "show-help" } | { kind: "none" };

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Already handled by the page (e.g. by a focused widget). */
  defaultPrevented: boolean;
  /** The focused element: its tag name, input type and whether it is editable text. */
  target: { tagName: string; type?: string | null; isContentEditable?: boolean } | null;
}

const TEXT_INPUT_TYPES = new Set(["checkbox", "radio", "button", "submit", "reset", "range", "color", "file", "image"]);

/** True while the person is typing: a text field, text area, select or editable region has focus. */
export function isTyping(target: KeyInput["target"]): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  return tag === "INPUT" && !TEXT_INPUT_TYPES.has((target.type ?? "text").toLowerCase());
}

export function shortcutFor(input: KeyInput): ShortcutDecision {
  if (input.defaultPrevented || input.ctrlKey || input.metaKey || input.altKey) return { kind: "none" };
  if (isTyping(input.target)) return { kind: "none" };
  if (input.key === "/") return { kind: "focus-search" };
  if (input.key === "?") return { kind: "show-help" };
  return { kind: "none" };
}

/** What the shortcuts dialog lists. */
export const SHORTCUTS: readonly { keys: string; does: string }[] = [
  { keys: "/", does: "Focus the search box (the overview's filter where a page has none)" },
  { keys: "?", does: "Show these keyboard shortcuts" },
  { keys: "Esc", does: "Close a dialog or menu" },
];

/**
 * The search box "/" focuses, most specific first: one marked for it, the page's search field, the
 * overview's filter. Null when the page has none.
 */
export const SEARCH_SELECTORS: readonly string[] = [
  "[data-shortcut-search]",
  'input[type="search"]',
  'input[name="q"]',
];
