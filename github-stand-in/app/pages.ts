import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "../http/body";
import { messagePage } from "../oauth/authorize-page";
import type { StandInState } from "../state";
import { showInstallPage, submitInstallPage } from "./install-page";
import { createFromManifest, showManifestPage } from "./manifest-page";
import type { PageAnswer } from "./page-answer";
import { htmlAnswer, sendPage } from "./page-answer";

const MANIFEST_PAGE = /^\/(?:organizations\/([A-Za-z0-9-]{1,39})\/)?settings\/apps\/new$/;
const INSTALL_PAGE = /^\/apps\/([a-z0-9-]{1,34})\/installations\/new(?:\/permissions)?$/;

export function isAppPage(path: string): boolean {
  return MANIFEST_PAGE.test(path) || INSTALL_PAGE.test(path);
}

async function formOf(req: IncomingMessage): Promise<URLSearchParams> {
  return req.method === "POST" ? new URLSearchParams(await readBody(req)) : new URLSearchParams();
}

async function answer(state: StandInState, req: IncomingMessage, url: URL): Promise<PageAnswer> {
  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "POST") return htmlAnswer(405, messagePage("Not allowed", "Use GET or POST."));
  const form = await formOf(req);
  const field = (name: string) => form.get(name) ?? url.searchParams.get(name);

  const manifestMatch = MANIFEST_PAGE.exec(url.pathname);
  if (manifestMatch) {
    // Stageboard's form posts `manifest` to ?state=…; the creation page posts it back with the user's choices.
    const request = { manifest: field("manifest") ?? "", state: field("state"), org: manifestMatch[1] ?? null };
    if (method === "POST" && form.get("decision") === "create") {
      return createFromManifest(state, request, { login: form.get("login") ?? "", name: form.get("name") ?? "" });
    }
    return showManifestPage(state, request);
  }
  const slug = INSTALL_PAGE.exec(url.pathname)?.[1] ?? "";
  if (method === "POST" && form.get("decision") === "install") {
    return submitInstallPage(state, slug, {
      login: form.get("login") ?? "",
      account: form.get("account") ?? "",
      selection: form.get("selection") ?? "all",
      repositories: form.getAll("repositories"),
      state: form.get("state"),
    });
  }
  return showInstallPage(state, slug, { targetId: url.searchParams.get("target_id"), state: field("state") });
}

// The App pages a person sees on github.com: creating an App from a manifest, and installing one
export async function serveAppPage(
  state: StandInState,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<void> {
  sendPage(res, await answer(state, req, url));
}
