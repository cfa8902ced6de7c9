/** The 7-character form GitHub shows; anything that is not a hex SHA is returned trimmed to 12 characters. */
export function shortSha(sha: string | null | undefined): string {
  if (!sha) return "";
  return /^[0-9a-f]{7,64}$/i.test(sha) ? sha.slice(0, 7).toLowerCase() : sha.slice(0, 12);
}

/** First line of a commit message, capped so one long line cannot stretch a table. */
export function firstLine(message: string | null | undefined, max = 120): string {
  if (!message) return "";
  const line = message.split(/\r?\n/, 1)[0]?.trim() ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
