// What store functions write through: the client itself or a transaction of it, so a caller can make
// several writes atomic without each store function opening its own transaction.
import "server-only";
import type { Db } from "@/lib/server/db/client";

export type Writer = Omit<Db, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;
