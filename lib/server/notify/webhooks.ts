import "server-only";
import { randomUUID } from "node:crypto";
import type {
  CreateWebhookBody,
  DeliveryView,
  UpdateWebhookBody,
  WebhookEvent,
  WebhookView,
} from "@/lib/notify/schemas";
import { DELIVERY_EVENTS, WEBHOOK_EVENTS } from "@/lib/notify/schemas";
import { ApiError } from "@/lib/server/api/errors";
import type { Viewer } from "@/lib/server/auth/visibility";
import { recordPolicyChange } from "@/lib/server/control/audit/record";
import type { Db } from "@/lib/server/db/client";
import type { WebhookRepository } from "@/lib/server/notify/access";
import { noticeTitle, readNotice } from "@/lib/server/notify/notice";
import { sealWebhookValue } from "@/lib/server/notify/secret-box";
import { checkWebhookUrl, urlHint, type UrlPolicy } from "@/lib/server/notify/url-policy";

// A repository's webhooks: listed with their recent deliveries, created, changed and deleted. Answers carry a
// URL's hint only, never the URL or the signing secret. Every change is written to the audit log in the same
// transaction, with the webhook as it was and as it became (hints, never secrets).

const RECENT_DELIVERIES = 20;

const webhookSelect = {
  id: true,
  format: true,
  urlHint: true,
  secretSealed: true,
  events: true,
  enabled: true,
  createdByLogin: true,
  createdAt: true,
} as const;

type WebhookRow = {
  id: string;
  format: string;
  urlHint: string;
  secretSealed: string | null;
  events: string[];
  enabled: boolean;
  createdByLogin: string;
  createdAt: Date;
};

const knownEvents = (events: string[]) =>
  events.filter((e): e is WebhookEvent => (WEBHOOK_EVENTS as readonly string[]).includes(e));

function auditShape(row: WebhookRow | null) {
  return row
    ? {
        kind: "notification-webhook",
        id: row.id,
        format: row.format,
        url: row.urlHint,
        events: row.events,
        enabled: row.enabled,
      }
    : null;
}

function deliveryView(row: {
  id: string;
  event: string;
  notice: unknown;
  createdAt: Date;
  status: string;
  attempts: number;
  nextAttemptAt: Date;
  lastStatusCode: number | null;
  lastError: string | null;
  deliveredAt: Date | null;
}): DeliveryView {
  let title = row.event;
  try {
    title = noticeTitle(readNotice(row.notice));
  } catch {
    // A notice of a shape this version does not know is listed by its event alone.
  }
  const status = row.status === "delivered" || row.status === "failed" ? row.status : "pending";
  return {
    id: row.id,
    event: (DELIVERY_EVENTS as readonly string[]).includes(row.event) ? (row.event as DeliveryView["event"]) : "ping",
    title,
    createdAt: row.createdAt.toISOString(),
    status,
    attempts: row.attempts,
    nextAttemptAt: status === "pending" ? row.nextAttemptAt.toISOString() : null,
    lastStatusCode: row.lastStatusCode,
    lastError: row.lastError,
    deliveredAt: row.deliveredAt?.toISOString() ?? null,
  };
}

export async function listWebhooks(db: Db, repository: WebhookRepository): Promise<WebhookView[]> {
  const rows = await db.notifyWebhook.findMany({
    where: { repositoryGithubId: repository.githubId },
    orderBy: { createdAt: "asc" },
    select: {
      ...webhookSelect,
      deliveries: { orderBy: { createdAt: "desc" }, take: RECENT_DELIVERIES },
    },
  });
  return rows.map((row) => ({
    id: row.id,
    format: row.format === "json" ? "json" : "slack",
    urlHint: row.urlHint,
    hasSecret: row.secretSealed !== null,
    events: knownEvents(row.events),
    enabled: row.enabled,
    createdByLogin: row.createdByLogin,
    createdAt: row.createdAt.toISOString(),
    deliveries: row.deliveries.map(deliveryView),
  }));
}

function checkedUrl(raw: string, policy: UrlPolicy): URL {
  const check = checkWebhookUrl(raw, policy);
  if (!check.ok) throw new ApiError({ code: "unprocessable_entity", message: `url: ${check.reason}` });
  return check.url;
}

type ChangeContext = { db: Db; repository: WebhookRepository; viewer: Viewer; requestId: string; policy: UrlPolicy };

async function actorOf(db: Db, viewer: Viewer) {
  const user = await db.user.findUnique({ where: { id: viewer.userId }, select: { githubId: true } });
  return { githubId: user?.githubId ?? null, login: viewer.login };
}

const subjectOf = (repository: WebhookRepository) => ({
  repository: repository.fullName,
  repositoryGithubId: repository.githubId,
  pipelineId: null,
  pipelineName: null,
});

export async function createWebhook(ctx: ChangeContext, body: CreateWebhookBody): Promise<string> {
  const url = checkedUrl(body.url, ctx.policy);
  const id = randomUUID();
  const actor = await actorOf(ctx.db, ctx.viewer);
  await ctx.db.$transaction(async (tx) => {
    const row = await tx.notifyWebhook.create({
      data: {
        id,
        repositoryGithubId: ctx.repository.githubId,
        repositoryName: ctx.repository.fullName,
        format: body.format,
        urlSealed: sealWebhookValue(url.href, { column: "url", webhookId: id }),
        urlHint: urlHint(url),
        secretSealed:
          body.format === "json" ? sealWebhookValue(body.secret, { column: "secret", webhookId: id }) : null,
        events: body.events,
        createdByLogin: ctx.viewer.login,
      },
      select: webhookSelect,
    });
    const subject = subjectOf(ctx.repository);
    await recordPolicyChange(tx, { actor, subject, before: null, after: auditShape(row), requestId: ctx.requestId });
  });
  return id;
}

async function existing(db: Db, repository: WebhookRepository, webhookId: string): Promise<WebhookRow> {
  const row = await db.notifyWebhook.findFirst({
    where: { id: webhookId, repositoryGithubId: repository.githubId },
    select: webhookSelect,
  });
  if (!row) throw new ApiError({ code: "not_found", message: "No such webhook" });
  return row;
}

export async function updateWebhook(ctx: ChangeContext, webhookId: string, body: UpdateWebhookBody): Promise<void> {
  const before = await existing(ctx.db, ctx.repository, webhookId);
  if (body.secret !== undefined && before.format !== "json")
    throw new ApiError({ code: "unprocessable_entity", message: "secret: only json webhooks are signed" });
  const url = body.url === undefined ? null : checkedUrl(body.url, ctx.policy);
  const actor = await actorOf(ctx.db, ctx.viewer);
  await ctx.db.$transaction(async (tx) => {
    const after = await tx.notifyWebhook.update({
      where: { id: webhookId },
      data: {
        ...(url ? { urlSealed: sealWebhookValue(url.href, { column: "url", webhookId }), urlHint: urlHint(url) } : {}),
        ...(body.secret !== undefined
          ? { secretSealed: sealWebhookValue(body.secret, { column: "secret", webhookId }) }
          : {}),
        ...(body.events !== undefined ? { events: body.events } : {}),
        ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
        repositoryName: ctx.repository.fullName,
      },
      select: webhookSelect,
    });
    const changed = { ...auditShape(after), secretChanged: body.secret !== undefined, urlChanged: url !== null };
    const subject = subjectOf(ctx.repository);
    await recordPolicyChange(tx, {
      actor,
      subject,
      before: auditShape(before),
      after: changed,
      requestId: ctx.requestId,
    });
  });
}

export async function deleteWebhook(ctx: ChangeContext, webhookId: string): Promise<void> {
  const before = await existing(ctx.db, ctx.repository, webhookId);
  const actor = await actorOf(ctx.db, ctx.viewer);
  await ctx.db.$transaction(async (tx) => {
    await tx.notifyWebhook.delete({ where: { id: webhookId } });
    const subject = subjectOf(ctx.repository);
    await recordPolicyChange(tx, { actor, subject, before: auditShape(before), after: null, requestId: ctx.requestId });
  });
}

export { existing as findWebhook };
