import "server-only";
import { safeHttpUrl } from "@/lib/safe-url";

// Markdown for check run summaries, which GitHub renders as GitHub Flavored Markdown with some HTML. Every string
// that came from AWS or a person (pipeline, stage and action names, error messages, IAM identities, comments) goes
// through `text` or `cell`: it is put on one line, clipped, HTML-escaped (&, <, >: no tag, entity or comment can
// form) and has every character Markdown gives a meaning backslash-escaped, so it can open no emphasis, link,
// image, heading, list, table cell, strikethrough or math block. Links are only ever http(s) (lib/safe-url.ts).

const MARKDOWN_PUNCTUATION = /[\\`*_{}[\]()#+\-.!|~:@$^=]/g;

/** At most `max` characters (the last one "…" when cut), by code point so no surrogate pair is split. */
export function clip(value: string, max: number): string {
  const chars = Array.from(value);
  return chars.length > max ? `${chars.slice(0, Math.max(0, max - 1)).join("")}…` : value;
}

/** One line: control characters and line breaks become spaces, runs of spaces one. */
export function oneLine(value: string): string {
  return value
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** An untrusted string as inline Markdown text that renders as exactly those characters. */
export function text(value: string, max = 500): string {
  return clip(oneLine(value), max)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`);
}

/** The same, for a table cell (never empty, so the row keeps its columns). */
export function cell(value: string, max = 200): string {
  const escaped = text(value, max);
  return escaped === "" ? " " : escaped;
}

/**
 * A link to `url` labelled `label` (untrusted, escaped), or the label alone when the URL is not http(s). The URL
 * sits in angle brackets with its own brackets and spaces encoded, so no character of it can end the link early.
 */
export function link(label: string, url: string | null | undefined, max = 200): string {
  const safe = safeHttpUrl(url);
  const shown = text(label, max);
  if (!safe) return shown;
  const target = safe.replace(/[<>\s()]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `[${shown}](<${target}>)`;
}

const encoder = new TextEncoder();
export const byteLength = (value: string): number => encoder.encode(value).length;

/**
 * The lines joined with "\n", as many whole lines as fit in `maxBytes` (GitHub counts a summary's characters and
 * bytes, at most 65,535 each; bytes are the stricter); when some do not fit, a last line says how many were left out.
 * Lines are whole Markdown constructs (a table row, a list item), so a cut never leaves half an escape or a link.
 */
export function fitLines(lines: readonly string[], maxBytes: number): string {
  const kept: string[] = [];
  let used = 0;
  for (const [index, line] of lines.entries()) {
    const cost = byteLength(line) + (kept.length ? 1 : 0);
    const left = lines.length - index - 1;
    // Room is kept for the note while later lines remain; the last line may use it.
    const note = left > 0 ? byteLength(omittedNote(left + 1)) + 1 : 0;
    if (used + cost + note > maxBytes) {
      kept.push(omittedNote(lines.length - index));
      return kept.join("\n");
    }
    kept.push(line);
    used += cost;
  }
  return kept.join("\n");
}

function omittedNote(count: number): string {
  return `\n_${count} more line${count === 1 ? "" : "s"} left out: the summary is at GitHub's size limit._`;
}

/** "45s", "3m 05s", "2h 04m": how long something took, from two instants. */
export function duration(start: Date | null, end: Date | null): string | null {
  if (!start || !end) return null;
  const seconds = Math.max(0, Math.round((end.getTime() - start.getTime()) / 1000));
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m ${String(seconds % 60).padStart(2, "0")}s`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, "0")}m`;
}
