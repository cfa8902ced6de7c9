import { requestJson } from "@/lib/http/request-json";
import type { WritebackSettingsUpdate, WritebackSettingsView } from "./settings-schemas";

// The browser's side of GET/PUT /api/repositories/[owner]/[name]/writeback: reading forwards `signal`; a change is
// sent once, from this origin (the route refuses any other), and answers the settings as they now are.

const path = (fullName: string) => {
  const [owner = "", name = ""] = fullName.split("/");
  return `/api/repositories/${encodeURIComponent(owner)}/${encodeURIComponent(name)}/writeback`;
};

export const fetchWritebackSettings = async (fullName: string, signal?: AbortSignal) =>
  (await requestJson<WritebackSettingsView>(path(fullName), { signal })).data;

export const putWritebackSettings = async (fullName: string, body: WritebackSettingsUpdate) =>
  (await requestJson<WritebackSettingsView>(path(fullName), { method: "PUT", body: JSON.stringify(body) })).data;
