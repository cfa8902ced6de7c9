import "server-only";
import { Prisma } from "@/lib/generated/prisma/client";

// Which failures mean "the database cannot answer now" (down, unreachable, out of connections, too slow)
// rather than a bug: those become 503 with Retry-After at the API boundary, so clients and load balancers
// retry instead of reporting a server error, and the logs say outage instead of a stack trace per request.

/** Prisma's codes for a server that cannot be reached, timed out, or closed the connection. */
const PRISMA_CODES = new Set(["P1001", "P1002", "P1008", "P1017", "P2024"]);
/** The pg driver adapter's kinds for the same. */
const ADAPTER_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections"]);
/**
 * SQLSTATEs: statement timeout (57014, DATABASE_STATEMENT_TIMEOUT_MS), shutting down (57P01–57P03),
 * too many connections (53300), out of memory or disk (53100, 53200).
 */
const SQLSTATES = new Set(["57014", "57P01", "57P02", "57P03", "53300", "53100", "53200"]);
/** pg's own messages when the pool or the socket gives up (not SQL errors, so no code). */
const PG_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|Query read timeout|ECONNREFUSED/;

interface AdapterCause {
  kind?: unknown;
  code?: unknown;
}

function adapterCause(meta: unknown): AdapterCause | undefined {
  if (typeof meta !== "object" || meta === null) return undefined;
  const adapterError = (meta as { driverAdapterError?: { cause?: AdapterCause } }).driverAdapterError;
  return adapterError?.cause;
}

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof Prisma.PrismaClientInitializationError) return true;
    if (e instanceof Prisma.PrismaClientKnownRequestError) {
      if (PRISMA_CODES.has(e.code)) return true;
      const cause = adapterCause(e.meta);
      if (typeof cause?.kind === "string" && ADAPTER_KINDS.has(cause.kind)) return true;
      if (cause?.kind === "postgres" && typeof cause.code === "string" && SQLSTATES.has(cause.code)) return true;
    }
    if (PG_MESSAGES.test(e.message)) return true;
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && SQLSTATES.has(code)) return true;
  }
  return false;
}
