// CSV export of an insight page's table (pure). Cells that a spreadsheet would run as a formula (=, +, -, @, tab,
// carriage return first) are prefixed with an apostrophe: pipeline and stage names come from AWS and are untrusted.

type Cell = string | number | null;

export function csvCell(value: Cell): string {
  if (value === null) return "";
  let text = typeof value === "number" ? (Number.isFinite(value) ? String(value) : "") : value;
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function toCsv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\r\n") + "\r\n";
}
