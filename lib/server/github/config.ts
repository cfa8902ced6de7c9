import "server-only";
import { env } from "@/lib/env";

const trimSlash = (url: string) => url.replace(/\/+$/, "");

/** github.com, or a GitHub Enterprise Server (or the local stand-in) at GITHUB_URL. */
export const GITHUB_WEB_URL = trimSlash(env.GITHUB_URL);
export const GITHUB_API_URL = trimSlash(
  env.GITHUB_API_URL ??
    (new URL(GITHUB_WEB_URL).hostname === "github.com" ? "https://api.github.com" : `${GITHUB_WEB_URL}/api/v3`),
);
/**
 * `repo` is the only OAuth App scope that lets /user/repos list private repositories (there is no
 * read-only variant), and `read:org` lets admins be configured by organisation or team.
 */
export const GITHUB_SCOPES = "read:user user:email repo read:org";
