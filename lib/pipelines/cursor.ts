// Keyset cursor for executions ordered by (startTime DESC, id ASC): the last row's two keys,
// base64url-encoded. A malformed cursor is treated as "first page" rather than an error.

export interface ExecutionCursor {
  startTime: Date;
  id: string;
}

export function encodeCursor(cursor: ExecutionCursor): string {
  return Buffer.from(JSON.stringify([cursor.startTime.toISOString(), cursor.id]), "utf8").toString("base64url");
}

export function decodeCursor(raw: string | null | undefined): ExecutionCursor | null {
  if (!raw || raw.length > 200) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [iso, id] = value as unknown[];
    if (typeof iso !== "string" || typeof id !== "string" || !/^[\w-]{1,64}$/.test(id)) return null;
    const startTime = new Date(iso);
    return Number.isNaN(startTime.getTime()) ? null : { startTime, id };
  } catch {
    return null;
  }
}
