import Link from "next/link";
import { unmappedSourceLabel } from "@/lib/pipelines/source-label";
import { declaredTriggerTexts } from "@/lib/pipelines/trigger-text";
import type { PipelineDetail } from "@/lib/server/pipelines/get-pipeline-detail";
import { CARD, MUTED } from "@/components/ui/styles";

function describeVariables(json: unknown): { name: string; value: string }[] {
  if (!Array.isArray(json)) return [];
  return json.flatMap((v: unknown) => {
    if (!v || typeof v !== "object") return [];
    const o = v as Record<string, unknown>;
    return typeof o.name === "string"
      ? [{ name: o.name, value: typeof o.defaultValue === "string" ? o.defaultValue : "" }]
      : [];
  });
}

export function PipelineFacts({ pipeline }: Readonly<{ pipeline: PipelineDetail }>) {
  const variables = describeVariables(pipeline.variables);
  const triggers = declaredTriggerTexts(pipeline.triggers);
  const row = (term: string, value: React.ReactNode) => (
    <div className="py-1.5">
      <dt className={`text-xs ${MUTED}`}>{term}</dt>
      <dd className="break-words text-sm">{value}</dd>
    </div>
  );
  return (
    <aside aria-label="Pipeline details" className={`p-4 ${CARD}`}>
      <h2 className="mb-2 font-medium">Details</h2>
      <dl className="divide-y divide-zinc-100 dark:divide-zinc-800">
        {row(
          "Source",
          pipeline.repository ? (
            <>
              <Link href={`/repositories/${pipeline.repository}`} className="hover:underline">
                {pipeline.repository}
              </Link>
              {pipeline.sourceBranch && (
                <>
                  {" "}
                  · <span className="font-mono">{pipeline.sourceBranch}</span>
                </>
              )}
            </>
          ) : (
            unmappedSourceLabel(pipeline)
          ),
        )}
        {row("Pipeline type", pipeline.pipelineType ?? "V1")}
        {row("Execution mode", pipeline.executionMode ?? "SUPERSEDED")}
        {row("Version", pipeline.version)}
        {row("Account · region", `${pipeline.accountId} · ${pipeline.region}`)}
        {row(
          "Triggers",
          triggers.length ? (
            <ul data-testid="declared-triggers">
              {triggers.map((t, i) => (
                <li key={i}>{t}</li>
              ))}
            </ul>
          ) : (
            "Default (on source change)"
          ),
        )}
        {row(
          "Variables",
          variables.length ? (
            <ul className="font-mono text-xs">
              {variables.map((v) => (
                <li key={v.name}>
                  {v.name}
                  {v.value ? ` = ${v.value}` : ""}
                </li>
              ))}
            </ul>
          ) : (
            "None"
          ),
        )}
        {pipeline.arn && row("ARN", <span className="font-mono text-xs">{pipeline.arn}</span>)}
      </dl>
    </aside>
  );
}
