import { matchRoute } from "../rest/routes";
import { API_PREFIX } from "../shapes/urls";

/**
 * The REST route template a request's path matched, e.g. "/repos/{owner}/{repo}/check-runs", for counting requests
 * per route; null for the OAuth pages, avatars, browser pages and paths no route serves.
 */
export function restRouteTemplate(method: string, path: string): string | null {
  const restPath =
    path === API_PREFIX || path.startsWith(`${API_PREFIX}/`) ? path.slice(API_PREFIX.length) || "/" : path;
  return matchRoute(method, restPath)?.route.path ?? null;
}
