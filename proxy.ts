import { NextResponse, type NextRequest } from "next/server";
import { env } from "@/lib/env";
import { redirectToPublicOrigin } from "@/lib/http/public-origin";
import { checkRequestUrl, rejectedUrlResponse } from "@/lib/http/request-input";
import { checkPageAddress } from "@/lib/pipelines/page-address";
import {
  API_CONTENT_SECURITY_POLICY,
  createNonce,
  pageContentSecurityPolicy,
  strictTransportSecurity,
} from "@/lib/http/security-headers";
import { CLIENT_REQUEST_ID_HEADER, REQUEST_ID_HEADER, sanitizeClientRequestId } from "@/lib/server/logger";
import { limitPersonRequest } from "@/lib/server/rate-limit/people";
import { rateLimitedJson, rateLimitedPage } from "@/lib/server/rate-limit/responses";

// The optimistic gate: no session cookie means sign in first. It only looks at the cookie's
// presence; every page, layout and route handler still checks the session for real.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];
const MAX_CALLBACK_CHARS = 2_048;

export async function proxy(request: NextRequest) {
  const { pathname, search, searchParams } = request.nextUrl;
  // Badges are fetched by image proxies on any host with no session, and set their own headers; only an address
  // whose % escapes cannot be decoded is answered here (Next would fail on it with a 500 before the route runs).
  if (pathname.startsWith("/badges/")) {
    const url = checkRequestUrl({ pathname, search });
    return url.kind === "rejected" ? rejectedUrlResponse({ kind: "api", message: url.message }) : NextResponse.next();
  }
  const elsewhere = redirectToPublicOrigin({
    url: request.nextUrl,
    host: request.headers.get("host"),
    forwardedHost: request.headers.get("x-forwarded-host"),
    // Read at request time (the proxy runs on Node): one build serves any configured address.
    publicOrigin: process.env.NEXTAUTH_URL,
  });
  if (elsewhere) return NextResponse.redirect(elsewhere, 307);

  // Always ours; the client's own id is only carried along, sanitised, for the logs.
  const requestId = crypto.randomUUID();
  const clientRequestId = sanitizeClientRequestId(request.headers.get(REQUEST_ID_HEADER));
  const isApi = pathname.startsWith("/api/");
  // next-auth's own pages (sign-out confirmation, errors) are documents too: they get the page policy.
  const isDocument = !isApi || pathname.startsWith("/api/auth/");
  const nonce = isDocument ? createNonce() : null;
  const publicOrigin = process.env.NEXTAUTH_URL;
  const csp = nonce
    ? pageContentSecurityPolicy({
        nonce,
        githubUrl: env.GITHUB_URL,
        https: publicOrigin?.startsWith("https://") ?? false,
        development: process.env.NODE_ENV === "development",
      })
    : API_CONTENT_SECURITY_POLICY;
  const hsts = strictTransportSecurity(publicOrigin);
  const secured = <R extends Response>(response: R): R => {
    response.headers.set(REQUEST_ID_HEADER, requestId);
    response.headers.set("content-security-policy", csp);
    if (hsts) response.headers.set("strict-transport-security", hsts);
    return response;
  };

  const url = checkRequestUrl({ pathname, search });
  if (url.kind === "rejected")
    return secured(rejectedUrlResponse({ kind: isApi ? "api" : "page", message: url.message }));
  const page = isApi ? null : checkPageAddress(pathname, searchParams);
  if (page?.kind === "rejected") return secured(rejectedUrlResponse({ kind: "page", message: page.message }));

  const sessionToken = SESSION_COOKIES.map((name) => request.cookies.get(name)?.value).find(Boolean) ?? null;
  const limit = await limitPersonRequest({
    forwardedFor: request.headers.get("x-forwarded-for"),
    kind: isApi ? "api" : "page",
    sessionToken,
  });
  if (limit.kind === "limited") return secured(isApi ? rateLimitedJson(limit) : rateLimitedPage(limit));

  const headers = new Headers(request.headers);
  headers.set(REQUEST_ID_HEADER, requestId);
  if (clientRequestId) headers.set(CLIENT_REQUEST_ID_HEADER, clientRequestId);
  else headers.delete(CLIENT_REQUEST_ID_HEADER);
  if (nonce) {
    // Next reads the nonce from the request's CSP header and puts it on every script it renders.
    headers.set("content-security-policy", csp);
    headers.set("x-nonce", nonce);
  }
  if (pathname.startsWith("/api/auth/")) {
    // next-auth reports a person's "Cancel" on GitHub's consent page as a generic callback failure;
    // say what actually happened instead.
    if (pathname.startsWith("/api/auth/callback/") && searchParams.get("error") === "access_denied") {
      return secured(NextResponse.redirect(new URL("/login?error=access_denied", request.url)));
    }
    return secured(NextResponse.next({ request: { headers } }));
  }
  const signedIn = sessionToken !== null;

  if (!signedIn && pathname !== "/login") {
    if (isApi) {
      return secured(
        NextResponse.json({ error: { code: "unauthorized", message: "Sign in to use this API" } }, { status: 401 }),
      );
    }
    const login = new URL("/login", request.url);
    // Bounded, so the redirect's Location header stays far below what clients and proxies accept
    // (Node's is 16 KiB): past that, the person comes back to the page without its query.
    const back = `${pathname}${search}`;
    login.searchParams.set("callbackUrl", back.length <= MAX_CALLBACK_CHARS ? back : pathname);
    return secured(NextResponse.redirect(login));
  }
  return secured(NextResponse.next({ request: { headers } }));
}

export const config = {
  // Machine endpoints authenticate on their own (health is public, events carry a shared secret, GitHub signs its
  // webhook deliveries) and answer on any host; static files need no gate. Badges pass through the first lines of the proxy only (above).
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/health|api/events|api/github/webhooks).*)"],
};
