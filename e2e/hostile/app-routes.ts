// Every route of the app, read from the `app/` tree itself, so that a route added later is known to
// the hostile-input suite (which then fails until it says how to call the new route).
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export type AppRoute = {
  /** The URL pattern, with Next's segment names: `/api/pipelines/[id]`. */
  pattern: string;
  kind: "page" | "api";
  /** HTTP methods the route exports (pages answer GET). */
  methods: string[];
};

const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"];

function exportedMethods(source: string): string[] {
  const found = new Set<string>();
  for (const match of source.matchAll(/export\s+(?:const|async\s+function|function)\s+([A-Z]+)\b/g)) {
    if (match[1] && METHODS.includes(match[1])) found.add(match[1]);
  }
  for (const list of source.matchAll(/export\s*\{([^}]*)\}/g)) {
    for (const name of (list[1] ?? "").split(",")) {
      const exported =
        name
          .split(/\s+as\s+/)
          .pop()
          ?.trim() ?? "";
      if (METHODS.includes(exported)) found.add(exported);
    }
  }
  return [...found].sort();
}

function urlPattern(segments: string[]): string {
  const kept = segments.filter((segment) => !/^\(.*\)$/.test(segment)); // route groups add nothing to the URL
  return `/${kept.join("/")}`;
}

export function discoverRoutes(appDir: string): AppRoute[] {
  const routes: AppRoute[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file, [...segments, entry.name]);
      else if (entry.name === "page.tsx")
        routes.push({ pattern: urlPattern(segments), kind: "page", methods: ["GET"] });
      else if (entry.name === "route.ts")
        routes.push({
          pattern: urlPattern(segments),
          kind: "api",
          methods: exportedMethods(readFileSync(file, "utf8")),
        });
    }
  };
  walk(appDir, []);
  return routes.sort((a, b) => a.pattern.localeCompare(b.pattern));
}
