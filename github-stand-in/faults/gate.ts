import { createHash } from "node:crypto";
import { sendJson } from "../http/respond";
import type { RestContext } from "../rest/context";
import { fail } from "../rest/context";
import { createsContent, creationKind } from "./faults";

const SECONDARY_DOCS =
  "https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits";

/**
 * Whose budget a request spends: GitHub counts per installation (all its tokens together) or per user token. Tokens
 * are never shown, only a digest.
 */
export function budgetBucket(ctx: RestContext): string {
  const { caller } = ctx;
  if (caller.kind === "installation") return `installation:${caller.installation.id}`;
  if (caller.kind === "token")
    return `token:${createHash("sha256").update(caller.token.token).digest("hex").slice(0, 12)}`;
  if (caller.kind === "app") return `app:${caller.app.id}`;
  return `address:${ctx.req.socket.remoteAddress ?? "?"}`;
}

/**
 * Stands between the router and a handler. Answers GitHub's secondary-limit 403 itself (returning true), or, for a
 * creation armed to lose its answer, lets the handler do its work and then replaces a successful answer with a 502
 * or a dropped connection.
 */
export function applyFaults(ctx: RestContext, method: string, template: string): boolean {
  const faults = ctx.state.faults;
  if (createsContent(method, template)) {
    const verdict = faults.admitContent(budgetBucket(ctx));
    if (verdict.kind === "secondary-limit") {
      // The message is what @octokit/plugin-throttling recognises ("secondary rate"); the primary limit is untouched.
      const requestId = ctx.headers["x-github-request-id"] ?? "";
      const message = `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${requestId}.`;
      fail(ctx, 403, message, SECONDARY_DOCS, {}, { "retry-after": String(verdict.retryAfterSeconds) });
      return true;
    }
  }
  const loss = faults.lossFor(creationKind(method, template));
  if (loss) {
    ctx.deliver = (status, body, headers) => {
      if (status < 200 || status >= 300) return sendJson(ctx.res, status, body, headers);
      faults.spendLoss();
      if (loss === "drop") return void ctx.res.destroy();
      sendJson(ctx.res, 502, { message: "Server Error" }, headers);
    };
  }
  return false;
}
