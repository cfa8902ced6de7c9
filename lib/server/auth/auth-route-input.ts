import "server-only";

// next-auth answers some malformed requests with a 500 ("There is a problem with the server
// configuration"): an action it does not know, or a callback URL, in the query or in its cookie, that
// is not an http(s) URL. Those are the client's mistakes, so they are refused here with a 4xx before
// next-auth sees them; everything else is left to next-auth and its own checks.

/** The actions next-auth v4 serves under /api/auth/. */
const ACTIONS = new Set([
  "providers",
  "session",
  "csrf",
  "signin",
  "signout",
  "callback",
  "verify-request",
  "error",
  "_log",
]);
const CALLBACK_COOKIES = ["next-auth.callback-url", "__Secure-next-auth.callback-url"];

/** The same test next-auth applies: a path on this site, or an absolute http(s) URL. */
function isHttpUrl(value: string, base: string): boolean {
  try {
    return /^https?:$/.test(new URL(value, value.startsWith("/") ? base : undefined).protocol);
  } catch {
    return false;
  }
}

function cookieValues(header: string | null, name: string): string[] {
  if (!header) return [];
  return header
    .split(";")
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${name}=`))
    .map((part) => {
      const raw = part.slice(name.length + 1);
      try {
        return decodeURIComponent(raw);
      } catch {
        return raw;
      }
    });
}

const refuse = (status: number, message: string, headers: HeadersInit = {}) =>
  Response.json({ error: { code: status === 404 ? "not_found" : "bad_request", message } }, { status, headers });

/** A 4xx answer for a request next-auth would fail on, or null to hand it to next-auth. */
export function refuseAuthRequest(request: Request, publicOrigin: string): Response | null {
  const url = new URL(request.url);
  const action = url.pathname.replace(/^\/api\/auth\/?/, "").split("/")[0] ?? "";
  if (!ACTIONS.has(action)) return refuse(404, "No such sign-in address");
  const callbackUrl = url.searchParams.get("callbackUrl");
  if (callbackUrl !== null && callbackUrl !== "" && !isHttpUrl(callbackUrl, publicOrigin)) {
    return refuse(400, "callbackUrl must be a path on this site");
  }
  const cookieHeader = request.headers.get("cookie");
  for (const name of CALLBACK_COOKIES) {
    if (cookieValues(cookieHeader, name).some((value) => value !== "" && !isHttpUrl(value, publicOrigin))) {
      // Cleared, so that a browser holding a broken cookie can sign in on its next try.
      const secure = name.startsWith("__Secure-") ? "; Secure" : "";
      return refuse(400, "The sign-in cookie was not valid; try again", {
        "set-cookie": `${name}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax${secure}`,
      });
    }
  }
  return null;
}
