import type { Metadata } from "next";
import { ApprovalsInbox } from "@/components/approvals/approvals-inbox";
import { requireViewer } from "@/lib/server/session";

export const metadata: Metadata = { title: "Approvals" };

export default async function ApprovalsPage() {
  await requireViewer("/approvals");
  return <ApprovalsInbox />;
}
