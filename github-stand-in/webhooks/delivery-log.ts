// Every webhook delivery the stand-in attempted, per App, as GitHub's delivery log keeps them: one record per attempt
// (a redelivery is a new record with the same guid), ids increasing across every App, listed newest first.

export interface DeliveryRecord {
  id: number;
  guid: string;
  appId: number;
  deliveredAt: string;
  redelivery: boolean;
  /** Seconds, as GitHub reports it. */
  duration: number;
  /** "OK", "failed to connect", "timed out" or "Invalid HTTP Response: <code>". */
  status: string;
  statusCode: number;
  event: string;
  action: string | null;
  installationId: number | null;
  repositoryId: number | null;
  url: string;
  request: { headers: Record<string, string>; payload: Record<string, unknown> };
  response: { headers: Record<string, string> | null; payload: string | null };
}

export type NewDelivery = Omit<DeliveryRecord, "id">;

/** GitHub keeps deliveries for 3 days (and redelivers only those). */
export const RETENTION_MS = 3 * 86_400_000;
/** A long-running demo must not grow without end: beyond this many, the oldest go first. */
export const MAX_RECORDS = 20_000;
/** GitHub's delivery ids are large 64-bit numbers; these start where a busy App's would be. */
const FIRST_DELIVERY_ID = 12_000_000_001;
/** GitHub's `cursor` values look like `v1_<id>`: the page starts at that delivery. */
const CURSOR = /^v1_(\d{1,16})$/;

export type DeliveryFilter = "success" | "failure" | null;

/** GitHub's `status` filter: success is a status code from 200 to 399, failure one from 400 to 599. */
export function matchesFilter(record: DeliveryRecord, filter: DeliveryFilter): boolean {
  if (filter === "success") return record.statusCode >= 200 && record.statusCode <= 399;
  if (filter === "failure") return record.statusCode >= 400 && record.statusCode <= 599;
  return true;
}

export function cursorOf(id: number): string {
  return `v1_${id}`;
}

/** The delivery id a cursor starts at; undefined when it is no cursor of ours. */
export function parseCursor(cursor: string): number | undefined {
  const match = CURSOR.exec(cursor);
  return match?.[1] ? Number(match[1]) : undefined;
}

export class DeliveryLog {
  private readonly records: DeliveryRecord[] = [];
  private nextId = FIRST_DELIVERY_ID;

  /** Logs an attempt, and forgets what is older than GitHub keeps (by `now`, the stand-in's clock). */
  add(delivery: NewDelivery, now: number): DeliveryRecord {
    const record = { ...delivery, id: this.nextId++ };
    this.records.push(record);
    const expired = this.records.findIndex((r) => Date.parse(r.deliveredAt) > now - RETENTION_MS);
    const drop = Math.max(expired < 0 ? this.records.length : expired, this.records.length - MAX_RECORDS);
    if (drop > 0) this.records.splice(0, drop);
    return record;
  }

  byId(appId: number, id: number): DeliveryRecord | undefined {
    return this.records.find((r) => r.id === id && r.appId === appId);
  }

  /** One App's deliveries, newest first; every App's when appId is null. */
  list(appId: number | null): DeliveryRecord[] {
    return this.records.filter((r) => appId === null || r.appId === appId).sort((a, b) => b.id - a.id);
  }

  /** A page of one App's deliveries from `start` (a delivery id, inclusive) down, and the id the next page starts at. */
  page(
    appId: number,
    options: { start: number | undefined; perPage: number; filter: DeliveryFilter },
  ): { items: DeliveryRecord[]; next: number | null } {
    const matching = this.list(appId)
      .filter((r) => options.start === undefined || r.id <= options.start)
      .filter((r) => matchesFilter(r, options.filter));
    const items = matching.slice(0, options.perPage);
    return { items, next: matching[options.perPage]?.id ?? null };
  }
}
