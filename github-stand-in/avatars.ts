import type { ServerResponse } from "node:http";
import { createHash } from "node:crypto";
import { escapeHtml, sendText } from "./http/respond";
import type { World } from "./world/world";

/** A tiny initials badge, coloured from the login so each account is recognisable. */
export function avatarSvg(login: string): string {
  const hue = createHash("sha1").update(login).digest()[0] ?? 0;
  const initials = escapeHtml(login.slice(0, 2).toUpperCase());
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="${escapeHtml(login)}">` +
    `<rect width="64" height="64" rx="8" fill="hsl(${Math.round((hue / 255) * 360)},55%,45%)"/>` +
    `<text x="32" y="41" font-family="sans-serif" font-size="24" text-anchor="middle" fill="#fff">${initials}</text></svg>`
  );
}

// GET /avatars/{login}.svg – avatars for users and organisations the world knows
export function serveAvatar(world: World, res: ServerResponse, path: string): boolean {
  const match = /^\/avatars\/([A-Za-z0-9-]{1,39}|stand-in-ci)\.svg$/.exec(path);
  const login = match?.[1];
  if (!login || (!world.account(login) && login !== "stand-in-ci")) return false;
  sendText(res, 200, "image/svg+xml", avatarSvg(login), { "cache-control": "public, max-age=86400" });
  return true;
}
