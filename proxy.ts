import { NextResponse, type NextRequest } from "next/server";
import { redirectToPublicOrigin } from "@/lib/http/public-origin";

// The optimistic gate: no session cookie means sign in first. It only looks at the cookie's
// presence; every page, layout and route handler still checks the session for real.
const SESSION_COOKIES = ["next-auth.session-token", "__Secure-next-auth.session-token"];

export function proxy(request: NextRequest) {
  const { pathname, search, searchParams } = request.nextUrl;
  const elsewhere = redirectToPublicOrigin({
    url: request.nextUrl,
    host: request.headers.get("host"),
    forwardedHost: request.headers.get("x-forwarded-host"),
    // Read at request time (the proxy runs on Node): one build serves any configured address.
    publicOrigin: process.env.NEXTAUTH_URL,
  });
  if (elsewhere) return NextResponse.redirect(elsewhere, 307);

  const requestId = request.headers.get("x-request-id") ?? crypto.randomUUID();
  const headers = new Headers(request.headers);
  headers.set("x-request-id", requestId);
  if (pathname.startsWith("/api/auth/")) {
    // next-auth reports a person's "Cancel" on GitHub's consent page as a generic callback failure;
    // say what actually happened instead.
    if (pathname.startsWith("/api/auth/callback/") && searchParams.get("error") === "access_denied") {
      return NextResponse.redirect(new URL("/login?error=access_denied", request.url));
    }
    return NextResponse.next();
  }
  const signedIn = SESSION_COOKIES.some((name) => request.cookies.has(name));

  if (!signedIn && pathname !== "/login") {
    if (pathname.startsWith("/api/")) {
      return NextResponse.json(
        { error: { code: "unauthorized", message: "Sign in to use this API" } },
        { status: 401, headers: { "x-request-id": requestId } },
      );
    }
    const login = new URL("/login", request.url);
    login.searchParams.set("callbackUrl", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  const response = NextResponse.next({ request: { headers } });
  response.headers.set("x-request-id", requestId);
  return response;
}

export const config = {
  // Machine endpoints authenticate on their own (health is public, events carry a shared secret) and
  // answer on any host; static files need no gate.
  matcher: ["/((?!_next/static|_next/image|favicon.ico|icon.svg|api/health|api/events).*)"],
};
