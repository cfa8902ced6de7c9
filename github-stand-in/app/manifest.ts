import type { AppPermissions } from "../world/app-permissions";
import { parsePermissions } from "../world/app-permissions";

/** A GitHub App manifest, checked: what the manifest flow registers an App from. */
export interface Manifest {
  name: string;
  url: string;
  description: string | null;
  hookUrl: string | null;
  hookActive: boolean;
  redirectUrl: string | null;
  callbackUrls: string[];
  setupUrl: string | null;
  public: boolean;
  permissions: AppPermissions;
  events: string[];
}

export type ManifestCheck = { kind: "ok"; manifest: Manifest } | { kind: "invalid"; problems: string[] };

const MAX_CALLBACK_URLS = 10;
const EVENT = /^[a-z][a-z_]{0,63}$/;
const MAX_MANIFEST_CHARS = 64 * 1024;

function httpUrl(value: unknown): string | null {
  if (typeof value !== "string") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? value : null;
  } catch {
    return null;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** An optional http(s) URL field: absent → null, a URL → itself, anything else → a problem. */
function optionalUrl(body: Record<string, unknown>, field: string, problems: string[]): string | null {
  if (body[field] === undefined || body[field] === null) return null;
  const url = httpUrl(body[field]);
  if (!url) problems.push(`${field} must be an http(s) URL`);
  return url;
}

/**
 * Reads the manifest a form posted (JSON text, so untrusted in every field) the way GitHub's docs describe it:
 * `url` and an active hook's `hook_attributes.url` are required, up to ten `callback_urls`, permissions as
 * `{name: level}`. `nameOverride` is the name as edited on the creation page.
 */
export function checkManifest(text: string, nameOverride?: string): ManifestCheck {
  if (text.length > MAX_MANIFEST_CHARS) return { kind: "invalid", problems: ["the manifest is too large"] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "invalid", problems: ["the manifest is not JSON"] };
  }
  if (!isObject(parsed)) return { kind: "invalid", problems: ["the manifest must be a JSON object"] };
  const problems: string[] = [];
  const name = (nameOverride ?? (typeof parsed.name === "string" ? parsed.name : "")).trim();
  if (name === "" || name.length > 34) problems.push("name must be 1 to 34 characters");
  const url = httpUrl(parsed.url);
  if (!url) problems.push("url is required and must be an http(s) URL");
  const hook = parsed.hook_attributes;
  if (hook !== undefined && !isObject(hook)) problems.push("hook_attributes must be an object");
  const hookActive = isObject(hook) ? hook.active !== false : false;
  const hookUrl = isObject(hook) ? optionalUrl(hook, "url", problems) : null;
  if (hookActive && !hookUrl) problems.push("hook_attributes.url is required for an active webhook");
  const callbacks = parsed.callback_urls ?? [];
  const callbackUrls = Array.isArray(callbacks) ? callbacks.map(httpUrl) : [null];
  if (callbackUrls.some((u) => u === null)) problems.push("callback_urls must be a list of http(s) URLs");
  if (callbackUrls.length > MAX_CALLBACK_URLS) problems.push(`at most ${MAX_CALLBACK_URLS} callback_urls`);
  const permissions = parsed.default_permissions === undefined ? {} : parsePermissions(parsed.default_permissions);
  if (!permissions) problems.push("default_permissions must map permission names to read, write or admin");
  const events = parsed.default_events ?? [];
  if (!Array.isArray(events) || !events.every((e) => typeof e === "string" && EVENT.test(e))) {
    problems.push("default_events must be a list of event names");
  }
  if (parsed.public !== undefined && typeof parsed.public !== "boolean") problems.push("public must be a boolean");
  if (parsed.description !== undefined && typeof parsed.description !== "string") {
    problems.push("description must be a string");
  }
  const redirectUrl = optionalUrl(parsed, "redirect_url", problems);
  const setupUrl = optionalUrl(parsed, "setup_url", problems);
  if (problems.length > 0 || !url || !permissions || !Array.isArray(events)) return { kind: "invalid", problems };
  return {
    kind: "ok",
    manifest: {
      name,
      url,
      description: typeof parsed.description === "string" ? parsed.description : null,
      hookUrl,
      hookActive,
      redirectUrl,
      callbackUrls: callbackUrls.filter((u): u is string => u !== null),
      setupUrl,
      public: parsed.public === true,
      permissions,
      events: [...new Set(events as string[])],
    },
  };
}
