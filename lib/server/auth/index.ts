import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "@/lib/server/auth/options";

/**
 * next-auth's own answer to who is signed in (once per request), for the sign-in page. Pages and
 * API routes use getViewer (lib/server/session.ts), which applies next-auth's session rules to
 * the same session row and reads it together with the user in one query.
 */
export const getSession = cache(() => getServerSession(authOptions));
