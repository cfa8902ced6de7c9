import { requestJson } from "@/lib/http/request-json";
import type { RetryWritebackBody, WritebackOverviewView } from "./schemas";

// The browser's side of the GitHub write-back admin routes.

export const fetchWritebackOverview = async (signal?: AbortSignal) =>
  (await requestJson<WritebackOverviewView>("/api/admin/writeback", { signal })).data;

export const retryWriteback = async (body: RetryWritebackBody) =>
  (await requestJson<{ retried: number }>("/api/admin/writeback/retry", { method: "POST", body: JSON.stringify(body) }))
    .data;
