// Which of the App's recent deliveries to ask GitHub to send again (pure). GitHub never retries a delivery by itself:
// one that failed while Stageboard was down or could not store it is lost unless redelivered. GitHub's delivery log
// lists every attempt (a redelivery is a new entry with the same guid), newest first. A guid is redelivered when no
// attempt of it succeeded and Stageboard has not stored it, at most MAX_REDELIVERIES_PER_GUID times over: a delivery
// refused for good (a payload this Stageboard cannot take) must not be sent again for ever.

export type LoggedDelivery = {
  id: number;
  guid: string;
  deliveredAt: Date;
  redelivery: boolean;
  statusCode: number;
};

export const MAX_REDELIVERIES_PER_GUID = 3;

const succeeded = (code: number) => code >= 200 && code < 300;

/** The delivery ids to redeliver (one per guid: its newest attempt), oldest guid first. */
export function deliveriesToRedeliver(log: readonly LoggedDelivery[], stored: ReadonlySet<string>): number[] {
  const byGuid = new Map<string, LoggedDelivery[]>();
  for (const entry of log) {
    const attempts = byGuid.get(entry.guid);
    if (attempts) attempts.push(entry);
    else byGuid.set(entry.guid, [entry]);
  }
  const chosen: LoggedDelivery[] = [];
  for (const [guid, attempts] of byGuid) {
    if (stored.has(guid) || attempts.some((a) => succeeded(a.statusCode))) continue;
    if (attempts.filter((a) => a.redelivery).length >= MAX_REDELIVERIES_PER_GUID) continue;
    chosen.push(attempts.reduce((newest, a) => (a.id > newest.id ? a : newest)));
  }
  return chosen.sort((a, b) => a.deliveredAt.getTime() - b.deliveredAt.getTime() || a.id - b.id).map((d) => d.id);
}

/** The `cursor` of a Link header's rel="next" page, or null on the last page. */
export function nextCursor(link: string | undefined): string | null {
  const next = link?.split(",").find((part) => /rel="next"/.test(part));
  const url = next?.match(/<([^>]+)>/)?.[1];
  if (!url) return null;
  try {
    return new URL(url).searchParams.get("cursor");
  } catch {
    return null;
  }
}
