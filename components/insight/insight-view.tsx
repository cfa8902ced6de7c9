import Link from "next/link";
import { formatDuration } from "@/lib/format/duration";
import type { PeriodChoice } from "@/lib/insight/period";
import { isoDay } from "@/lib/insight/period";
import type { Insight } from "@/lib/server/insight/load-insight";
import { CARD, LINK, MUTED, INPUT, BUTTON } from "@/components/ui/styles";
import { BarChart } from "./bar-chart";
import { FigureCard } from "./figure-card";
import { DurationTrend } from "./line-chart";

// An insight page: the DORA figures of the period beside the period before, deployments per day, the duration trend
// and the per stage/action (or per pipeline) table. Everything is server-rendered; nothing here needs JavaScript.

const pct = (rate: number | null) => (rate === null ? "—" : `${(rate * 100).toFixed(1)}%`);
const perWeek = (n: number, days: number) => ((n / days) * 7).toFixed(1);

export function InsightView({
  title,
  basePath,
  choice,
  insight,
  perPipeline,
  exportHref,
}: Readonly<{
  title: string;
  basePath: string;
  choice: PeriodChoice;
  insight: Insight;
  perPipeline: boolean;
  exportHref: string;
}>) {
  const { dora, previousDora: before } = insight;
  const days = Math.round((choice.to.getTime() - choice.from.getTime()) / 86_400_000);
  const range = `${isoDay(choice.from)} to ${isoDay(new Date(choice.to.getTime() - 1))}`;
  return (
    <div className="space-y-6">
      <header className="space-y-2">
        <h1 className="text-xl font-semibold">{title}</h1>
        <nav aria-label="Period" className="flex flex-wrap items-center gap-3 text-sm">
          {(["7", "30", "90"] as const).map((k) => (
            <Link
              key={k}
              href={`${basePath}?period=${k}`}
              aria-current={choice.key === k ? "page" : undefined}
              className={choice.key === k ? "font-semibold" : LINK}
            >
              {k} days
            </Link>
          ))}
          <form method="get" action={basePath} className="flex items-center gap-1">
            <input type="hidden" name="period" value="custom" />
            <label className="sr-only" htmlFor="insight-from">
              From
            </label>
            <input id="insight-from" type="date" name="from" defaultValue={isoDay(choice.from)} className={INPUT} />
            <label className="sr-only" htmlFor="insight-to">
              To
            </label>
            <input
              id="insight-to"
              type="date"
              name="to"
              defaultValue={isoDay(new Date(choice.to.getTime() - 1))}
              className={INPUT}
            />
            <button type="submit" className={BUTTON}>
              Show
            </button>
          </form>
          <a href={exportHref} className={LINK}>
            Export CSV
          </a>
        </nav>
        <p className={`text-sm ${MUTED}`}>
          {range} (days in UTC), compared with the {days} days before · {insight.pipelines} pipeline(s). Production
          stages are those the repository&apos;s write-back settings map to a production environment, else stages named
          like production (Prod, Production, Live). DORA advises one application at a time: figures over many pipelines
          blend them.
        </p>
      </header>

      <section aria-labelledby="dora" className="space-y-3">
        <h2 id="dora" className="font-medium">
          Delivery (DORA)
        </h2>
        <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
          <FigureCard
            id="deployment-frequency"
            name="Deployment frequency"
            value={`${dora.deployments} (${perWeek(dora.deployments, days)}/week)`}
            previous={`${before.deployments}`}
            n={`on ${dora.deploymentDays} of ${days} days`}
            definition="Successful production deployments in the period: an execution whose production stage succeeded (once per stage, however often it was retried)."
            blind="releases made outside CodePipeline, and whether users received the change (feature flags)."
          />
          <FigureCard
            id="lead-time"
            name="Change lead time (p50)"
            value={formatDuration(dora.leadTime.p50)}
            previous={formatDuration(before.leadTime.p50)}
            n={`n = ${dora.leadTime.n} commit(s), p90 ${formatDuration(dora.leadTime.p90)}; ${dora.leadTime.deploymentsWithout} deployment(s) without known commits`}
            definition={`From each commit's committer time to its production stage's success, over the commits GitHub's compare lists since the previous deployment (through the GitHub App), else the head commit. Pipeline part (start to production): p50 ${formatDuration(dora.pipelineTime.p50)}, of which approvals p50 ${formatDuration(dora.approvalWait.p50)}.`}
            blind="commits GitHub was not asked about (no GitHub App on the repository) and a pipeline's first deployment."
          />
          <FigureCard
            id="change-fail-rate"
            name="Change fail rate"
            value={pct(dora.changeFailRate.rate)}
            previous={pct(before.changeFailRate.rate)}
            n={`${dora.changeFailRate.failures} of ${dora.changeFailRate.denominator} deployment(s); ${dora.prodStageFailures} failed in the production stage`}
            definition="Production deployments that failed in their production stage or were later rolled back, over production deployments less rollbacks."
            blind="incidents: a deployment that degraded service without failing or being rolled back, and hotfixes."
          />
          <FigureCard
            id="recovery-time"
            name="Failed deployment recovery time (p50)"
            value={formatDuration(dora.recovery.p50)}
            previous={formatDuration(before.recovery.p50)}
            n={`n = ${dora.recovery.n}, p90 ${formatDuration(dora.recovery.p90)}; ${dora.recovery.open} not recovered yet`}
            definition="From a failed or rolled-back production deployment to the next successful production deployment of the same pipeline and stage."
            blind="when service was actually restored (incidents, fixes outside the pipeline)."
          />
          <FigureCard
            id="rework-rate"
            name="Deployment rework rate"
            value={pct(dora.reworkRate.rate)}
            previous={pct(before.reworkRate.rate)}
            n={`${dora.reworkRate.rework} of ${dora.reworkRate.deployments} deployment(s)`}
            definition="Successful production deployments that were rollbacks or followed a failed or rolled-back one (a proxy for unplanned deployments fixing production)."
            blind="why a deployment was made: planned work deployed right after a failure counts too."
          />
        </div>
        <BarChart
          title="Production deployments per day"
          unit="deployments"
          points={insight.perDay.map((d) => ({ label: d.day, value: d.n }))}
        />
      </section>

      <section aria-labelledby="durations" className={`space-y-3 p-4 ${CARD}`}>
        <h2 id="durations" className="font-medium">
          Durations and reliability
        </h2>
        <DurationTrend title="Execution duration per day" points={insight.trend} />
        <div className="overflow-x-auto">
          <table className="w-full text-sm" data-testid="insight-rows">
            <caption className={`text-left text-xs ${MUTED}`}>
              {perPipeline ? "Per pipeline (whole executions)" : "Per stage and action"}: successful runs&apos; p50/p90
              from the duration histograms (≈ ±2 %), success rate over succeeded and failed runs, flaky actions (failed,
              then succeeded on a retry of the same execution), approval waits, and time held by disabled transitions
              (where the change feed saw both ends).
            </caption>
            <thead>
              <tr className="text-left text-xs">
                <th className="py-1 pr-3">{perPipeline ? "Pipeline" : "Stage / action"}</th>
                <th className="pr-3 text-right">Runs</th>
                <th className="pr-3 text-right">Success</th>
                <th className="pr-3 text-right">p50</th>
                <th className="pr-3 text-right">p90</th>
                <th className="pr-3 text-right">p50 before</th>
                <th className="pr-3 text-right">Flaky</th>
                <th className="pr-3 text-right">Approval wait p50</th>
                <th className="text-right">Held</th>
              </tr>
            </thead>
            <tbody>
              {insight.rows.map((r) => (
                <tr
                  key={`${r.pipelineId}/${r.stageName}/${r.actionName}`}
                  className="border-t border-zinc-100 dark:border-zinc-800"
                >
                  <th scope="row" className="py-1 pr-3 text-left font-normal">
                    {perPipeline ? (
                      <Link className={LINK} href={`/pipelines/${encodeURIComponent(r.pipelineId)}/insights`}>
                        {r.label}
                      </Link>
                    ) : (
                      r.label
                    )}
                  </th>
                  <td className="pr-3 text-right tabular-nums">{r.succeeded + r.failed}</td>
                  <td className="pr-3 text-right tabular-nums">{pct(r.successRate)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatDuration(r.p50)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatDuration(r.p90)}</td>
                  <td className="pr-3 text-right tabular-nums">{formatDuration(r.previousP50)}</td>
                  <td className="pr-3 text-right tabular-nums">
                    {r.flaky ? `${r.flaky} (${formatDuration(r.flakyLostMs)} lost)` : "0"}
                  </td>
                  <td className="pr-3 text-right tabular-nums">{r.approvals ? formatDuration(r.approvalP50) : "—"}</td>
                  <td className="text-right tabular-nums">{r.heldMs ? formatDuration(r.heldMs) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {insight.rows.length === 0 && <p className={`text-sm ${MUTED}`}>No finished executions in this period.</p>}
        </div>
      </section>
    </div>
  );
}
