// Pipeline-wide lists (ListActionExecutions, ListRuleExecutions without a filter) walk executions newest
// first. A position is (executions counted from the oldest end, offset inside one), so executions started
// meanwhile do not shift later pages.
import type { ExecutionRecord, PipelineRecord } from "../core/types";
import { executionAt, executionCount } from "../sim/lookup";
import { decodeToken, encodeToken } from "../wire/page-token";
import type { OpContext } from "./context";

export interface Walked<T> {
  items: { e: ExecutionRecord; item: T }[];
  next?: string;
}

export function walkNewestFirst<T>(
  ctx: OpContext,
  p: PipelineRecord,
  scope: string,
  token: string | undefined,
  max: number,
  itemsOf: (e: ExecutionRecord) => T[],
): Walked<T> {
  const total = executionCount(p);
  const position = token === undefined ? total * 1000 : decodeToken(ctx.secret, token, scope);
  let index = total - Math.floor(position / 1000);
  let offset = position % 1000;
  const items: Walked<T>["items"] = [];
  // Executions with nothing left to list are stepped over before the page ends too, so a list whose
  // oldest executions have no items ends without a trailing empty page.
  while (index < total) {
    const e = executionAt(ctx.world, p, index);
    const runs = e ? itemsOf(e) : [];
    if (offset < runs.length && items.length >= max) break;
    while (e && offset < runs.length && items.length < max) items.push({ e, item: runs[offset++] as T });
    if (offset >= runs.length) {
      index++;
      offset = 0;
    }
  }
  return index < total
    ? { items, next: encodeToken(ctx.secret, { scope, fromEnd: (total - index) * 1000 + offset }) }
    : { items };
}
