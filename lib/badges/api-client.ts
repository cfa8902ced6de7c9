import { requestJson } from "@/lib/http/request-json";
import type { BadgeKeyView } from "./schemas";

// The browser's side of the badge-key route: reading forwards `signal`; a rotation is sent once, from this origin
// (the route refuses any other), with the empty JSON object the route reads.

const path = (fullName: string) => {
  const [owner = "", name = ""] = fullName.split("/");
  return `/api/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/badge-key`;
};

export const fetchBadgeKey = async (fullName: string, signal?: AbortSignal) =>
  (await requestJson<BadgeKeyView>(path(fullName), { signal })).data;

export const rotateBadgeKey = async (fullName: string) =>
  (await requestJson<BadgeKeyView>(path(fullName), { method: "POST", body: "{}" })).data;
