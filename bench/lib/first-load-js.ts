// Gzipped JS a browser loads for a page on first visit, read from the last `next build` in .next.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { gzipSync } from "node:zlib";

type RscManifests = Record<string, { entryJSFiles?: Record<string, string[]> }>;

/** Every page's client reference manifest under .next/server/app (route groups make the paths vary). */
function pageManifests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return pageManifests(full);
    return entry.name === "page_client-reference-manifest.js" ? [full] : [];
  });
}

/**
 * The root main files plus every chunk the route's client reference manifest lists for its
 * segments (layouts, page, error and not-found boundaries); -1 without a build.
 */
export function firstLoadJsKb(route: string): number {
  const scope = globalThis as unknown as { self?: unknown; __RSC_MANIFEST?: RscManifests };
  scope.self ??= globalThis;
  const load = createRequire(import.meta.url);
  for (const file of pageManifests(path.resolve(".next/server/app"))) load(file);
  const key = Object.keys(scope.__RSC_MANIFEST ?? {}).find((k) => k.replace(/\/\([^)]+\)/g, "") === route);
  const entries = key ? scope.__RSC_MANIFEST?.[key]?.entryJSFiles : undefined;
  if (!entries || !existsSync(".next/build-manifest.json")) return -1;
  const build = JSON.parse(readFileSync(".next/build-manifest.json", "utf8")) as { rootMainFiles?: string[] };
  const files = new Set([...(build.rootMainFiles ?? []), ...Object.values(entries).flat()]);
  let bytes = 0;
  for (const file of files) bytes += gzipSync(readFileSync(path.join(".next", file)), { level: 9 }).length;
  return bytes / 1024;
}

// "/(dashboard)/(overview)/page" is "/page" once route groups are dropped.
export const overviewFirstLoadJsKb = () => firstLoadJsKb("/page");
