import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { createServer } from "node:http";
import { handleAppControl, isAppControlPath } from "./app/control";
import { isAppPage, serveAppPage } from "./app/pages";
import { serveAvatar } from "./avatars";
import { handleControl } from "./control/control-plane";
import { BodyTooLargeError } from "./http/body";
import { sendJson, sendText } from "./http/respond";
import { exchangeCode } from "./oauth/access-token";
import { messagePage } from "./oauth/authorize-page";
import { showAuthorize, submitAuthorize } from "./oauth/authorize";
import { servePage } from "./pages/serve-page";
import { dispatchRest } from "./rest/dispatch";
import { API_PREFIX } from "./shapes/urls";
import type { StandInState } from "./state";

function outagePage(res: ServerResponse): void {
  sendText(
    res,
    503,
    "text/html; charset=utf-8",
    messagePage("Service unavailable", "GitHub is having trouble right now. Please try again later."),
  );
}

async function route(state: StandInState, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://stand-in.invalid");
  const path = url.pathname;
  const method = req.method ?? "GET";

  if (isAppControlPath(path)) return handleAppControl(state, req, res, path);
  if (path.startsWith("/_stand-in/")) return handleControl(state, req, res, path);
  state.requests.count(method, path);
  if (method === "GET" && serveAvatar(state.world, res, path)) return;

  if (path === "/login/oauth/authorize" || path === "/login/oauth/access_token") {
    if (state.down) return outagePage(res);
    if (path === "/login/oauth/access_token" && method === "POST") return exchangeCode(state, req, res, url);
    if (path === "/login/oauth/authorize" && method === "GET") return showAuthorize(state, res, url);
    if (path === "/login/oauth/authorize" && method === "POST") return submitAuthorize(state, req, res);
    return sendText(res, 404, "text/html; charset=utf-8", messagePage("Not found", "This page does not exist."));
  }
  if (isAppPage(path)) return state.down ? outagePage(res) : serveAppPage(state, req, res, url);

  // Pages, signing in to them and their form posts; anything else, POSTs to the REST API included, goes on to REST.
  if (await servePage(state, req, res, url)) return;

  // REST answers under /api/v3 like GitHub Enterprise Server, and at the root like api.github.com.
  const restPath =
    path === API_PREFIX || path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) || "/" : path;
  return dispatchRest(state, req, res, url, restPath);
}

export function createStandInServer(state: StandInState): Server {
  return createServer((req, res) => {
    route(state, req, res).catch((error: unknown) => {
      if (res.headersSent) return void res.destroy();
      if (error instanceof BodyTooLargeError) return sendJson(res, 413, { message: "Payload Too Large" });
      // Only the kind of failure is reported; request contents may carry secrets.
      process.stderr.write(`github-stand-in: internal error (${error instanceof Error ? error.name : "unknown"})\n`);
      sendJson(res, 500, { message: "Server Error" });
    });
  });
}
