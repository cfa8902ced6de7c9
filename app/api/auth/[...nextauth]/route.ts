// GET|POST /api/auth/* – next-auth (GitHub OAuth sign-in, callback, sign-out, session)
import NextAuth from "next-auth";
import { authOptions } from "@/lib/server/auth/options";

const handler = NextAuth(authOptions) as (request: Request, context: unknown) => Promise<Response>;
export { handler as GET, handler as POST };
