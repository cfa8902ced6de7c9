// The App's delivery log over REST, as the App itself (JWT): list, one delivery with its request and response, and a
// redelivery. GitHub answers an unknown or another App's delivery with 404.
import type { RestContext } from "../rest/context";
import { fail, notFound, reply, validationFailed } from "../rest/context";
import type { AppRecord } from "../world/apps";
import type { DeliveryRecord } from "./delivery-log";
import { cursorOf, parseCursor } from "./delivery-log";
import { webhooksOf } from "./hub";

const DOCS = "https://docs.github.com/rest/apps/webhooks";
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;

function callingApp(ctx: RestContext): AppRecord | null {
  if (ctx.caller.kind === "app") return ctx.caller.app;
  notFound(ctx, DOCS);
  return null;
}

/** `hook-delivery-item`: a delivery without its request and response. */
export function deliveryItem(record: DeliveryRecord): Record<string, unknown> {
  return {
    id: record.id,
    guid: record.guid,
    delivered_at: record.deliveredAt,
    redelivery: record.redelivery,
    duration: record.duration,
    status: record.status,
    status_code: record.statusCode,
    event: record.event,
    action: record.action,
    installation_id: record.installationId,
    repository_id: record.repositoryId,
    throttled_at: null,
  };
}

/** `hook-delivery`: with the URL, the request sent and the response received. */
export function deliveryDetail(record: DeliveryRecord): Record<string, unknown> {
  return { ...deliveryItem(record), url: record.url, request: record.request, response: record.response };
}

function findDelivery(ctx: RestContext, app: AppRecord): DeliveryRecord | undefined {
  const raw = ctx.params.delivery_id ?? "";
  const id = /^\d{1,16}$/.test(raw) ? Number(raw) : NaN;
  return Number.isSafeInteger(id) ? webhooksOf(ctx.state).log.byId(app.id, id) : undefined;
}

// GET /app/hook/deliveries – newest first; `cursor` pages (see the Link header), `status` filters success/failure
export function listDeliveries(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const query = ctx.url.searchParams;
  const perPageText = query.get("per_page");
  const perPage = perPageText === null ? DEFAULT_PER_PAGE : Number(perPageText);
  if (!Number.isInteger(perPage) || perPage < 1)
    return validationFailed(ctx, [{ resource: "HookDelivery", field: "per_page", code: "invalid" }], DOCS);
  const status = query.get("status");
  if (status !== null && status !== "success" && status !== "failure")
    return validationFailed(ctx, [{ resource: "HookDelivery", field: "status", code: "invalid" }], DOCS);
  const cursor = query.get("cursor");
  const start = cursor === null ? undefined : parseCursor(cursor);
  if (cursor !== null && start === undefined) return fail(ctx, 400, "Invalid cursor", DOCS);
  const limit = Math.min(perPage, MAX_PER_PAGE);
  const page = webhooksOf(ctx.state).log.page(app.id, { start, perPage: limit, filter: status });

  const linkTo = (next: number | null) => {
    const params = new URLSearchParams(query);
    params.set("per_page", String(limit));
    if (next === null) params.delete("cursor");
    else params.set("cursor", cursorOf(next));
    return `<${ctx.base}${ctx.url.pathname}?${params.toString()}>`;
  };
  const links = [
    ...(page.next !== null ? [`${linkTo(page.next)}; rel="next"`] : []),
    ...(cursor !== null ? [`${linkTo(null)}; rel="first"`] : []),
  ];
  reply(ctx, 200, page.items.map(deliveryItem), links.length > 0 ? { link: links.join(", ") } : {});
}

// GET /app/hook/deliveries/{delivery_id}
export function getDelivery(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const record = findDelivery(ctx, app);
  if (!record) return notFound(ctx, `${DOCS}#get-a-delivery-for-an-app-webhook`);
  reply(ctx, 200, deliveryDetail(record));
}

// POST /app/hook/deliveries/{delivery_id}/attempts – sends it again (same guid), logged as a new redelivery
export function redeliver(ctx: RestContext): void {
  const app = callingApp(ctx);
  if (!app) return;
  const record = findDelivery(ctx, app);
  if (!record) return notFound(ctx, `${DOCS}#redeliver-a-delivery-for-an-app-webhook`);
  webhooksOf(ctx.state).redeliver(record);
  reply(ctx, 202, {});
}
