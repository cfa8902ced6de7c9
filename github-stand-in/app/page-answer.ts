import type { ServerResponse } from "node:http";
import { redirect, sendText } from "../http/respond";

/** What an App page decided: an HTML page with its status, or a redirect. Sending it is the router's job. */
export type PageAnswer = { kind: "html"; status: number; html: string } | { kind: "redirect"; location: string };

export const htmlAnswer = (status: number, html: string): PageAnswer => ({ kind: "html", status, html });
export const redirectAnswer = (location: string): PageAnswer => ({ kind: "redirect", location });

export function sendPage(res: ServerResponse, answer: PageAnswer): void {
  if (answer.kind === "redirect") return redirect(res, answer.location);
  // Like the consent page: never cached, never framed (the buttons create Apps and installations).
  sendText(res, answer.status, "text/html; charset=utf-8", answer.html, {
    "cache-control": "no-store",
    "x-frame-options": "deny",
  });
}
