import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { authOptions } from "@/lib/server/auth/options";

/** The one place the app asks next-auth who is signed in (once per request). */
export const getSession = cache(() => getServerSession(authOptions));
