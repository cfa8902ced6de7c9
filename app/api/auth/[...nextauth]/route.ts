// GET|POST /api/auth/* – next-auth (GitHub OAuth sign-in, callback, sign-out, session)
import NextAuth from "next-auth";
import { env } from "@/lib/env";
import { refuseAuthRequest } from "@/lib/server/auth/auth-route-input";
import { authOptions } from "@/lib/server/auth/options";

const nextAuth = NextAuth(authOptions) as (request: Request, context: unknown) => Promise<Response>;

function handler(request: Request, context: unknown): Response | Promise<Response> {
  return refuseAuthRequest(request, env.NEXTAUTH_URL ?? new URL(request.url).origin) ?? nextAuth(request, context);
}

export { handler as GET, handler as POST };
