import { formatTimestamp } from "@/lib/format/time";
import { auditActionLabel, auditWhere, describeParameters, type AuditEntryView } from "@/lib/control/audit-text";
import { StatusBadge } from "@/components/ui/status-badge";
import { CARD, LINK, MUTED } from "@/components/ui/styles";

const OUTCOME_STATUS: Record<string, string> = {
  succeeded: "Succeeded",
  recorded: "Succeeded",
  failed: "Failed",
  refused: "Failed",
  attempted: "InProgress",
};

/** A login as a link to its GitHub profile; an IAM identity (a console decision) as plain text. */
function Actor({ entry, githubUrl }: Readonly<{ entry: AuditEntryView; githubUrl: string }>) {
  if (!entry.actorGithubId || !/^[A-Za-z0-9-]{1,39}$/.test(entry.actorLogin))
    return <span className="break-all">{entry.actorLogin}</span>;
  return (
    <a
      href={`${githubUrl.replace(/\/+$/, "")}/${encodeURIComponent(entry.actorLogin)}`}
      className={LINK}
      rel="noopener noreferrer nofollow"
      target="_blank"
    >
      @{entry.actorLogin}
      <span className="sr-only"> (GitHub profile, opens in a new tab)</span>
    </a>
  );
}

/**
 * The audit log as a table: one row per entry (an attempt and its outcome are two rows, the outcome naming
 * its attempt). Scrolls sideways on a phone rather than squashing the columns.
 */
export function AuditTable({
  entries,
  githubUrl,
  caption,
}: Readonly<{ entries: AuditEntryView[]; githubUrl: string; caption: string }>) {
  return (
    <div className={`overflow-x-auto ${CARD}`} role="region" aria-label={caption} tabIndex={0}>
      <table className="min-w-full text-left text-sm" data-testid="audit-table">
        <caption className="sr-only">{caption}</caption>
        <thead className={`border-b border-zinc-200 text-xs dark:border-zinc-800 ${MUTED}`}>
          <tr>
            {["Time", "Person", "What", "Where", "Parameters", "Comment", "Outcome", "AWS request id", "Error"].map(
              (h) => (
                <th key={h} scope="col" className="whitespace-nowrap px-3 py-2 font-medium">
                  {h}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody className="divide-y divide-zinc-100 dark:divide-zinc-800">
          {entries.map((e) => (
            <tr
              key={e.id}
              data-testid="audit-row"
              data-action={e.action}
              data-outcome={e.outcome}
              className="align-top"
            >
              <td className="whitespace-nowrap px-3 py-2">
                <time dateTime={e.at}>{formatTimestamp(e.at)}</time>
              </td>
              <td className="px-3 py-2">
                <Actor entry={e} githubUrl={githubUrl} />
              </td>
              <td className="whitespace-nowrap px-3 py-2">
                {auditActionLabel(e.action)}
                {e.entry === "outcome" && e.attemptId && (
                  <span className={`block text-xs ${MUTED}`}>outcome of #{e.attemptId}</span>
                )}
                {e.entry === "attempt" && <span className={`block text-xs ${MUTED}`}>#{e.id}</span>}
              </td>
              <td className="min-w-48 break-words px-3 py-2">
                {auditWhere(e)}
                {e.repository && e.pipelineName && <span className={`block text-xs ${MUTED}`}>{e.repository}</span>}
              </td>
              <td className="max-w-64 break-words px-3 py-2 font-mono text-xs">{describeParameters(e.parameters)}</td>
              <td className="max-w-64 whitespace-pre-wrap break-words px-3 py-2">{e.comment}</td>
              <td className="px-3 py-2">
                <StatusBadge status={OUTCOME_STATUS[e.outcome] ?? e.outcome} label={e.outcome} />
              </td>
              <td className="break-all px-3 py-2 font-mono text-xs">{e.awsRequestId}</td>
              <td className="max-w-64 break-words px-3 py-2 text-red-700 dark:text-red-300">{e.error}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
