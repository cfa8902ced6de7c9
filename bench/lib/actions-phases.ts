// The approvals benchmark's measurements, each against the running app, sandbox and stand-in:
// decisions one at a time until their effect is stored, bursts of concurrent decisions on one approval,
// and the GitHub requests one decision costs.
import type { ReadyApproval } from "./approval-fleet";
import { decide, tallyContention, type ContentionTally, type DecisionAnswer } from "./decisions";
import type { DecisionWatch } from "./decision-watch";

export interface Person {
  login: string;
  cookie: string;
}

/** Longest wait for one decision's effect to be stored; a decision past it counts as this long. */
export const VISIBLE_TIMEOUT_MS = 30_000;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function sentOrThrow(answer: DecisionAnswer, pipeline: string): void {
  if (answer.status !== 200 || answer.result !== "sent")
    throw new Error(`approving ${pipeline} as @${answer.login} answered ${answer.status}: ${answer.message}`);
}

export interface VisibleTimes {
  /** From sending the approve request until the stored state showed the approval done and the next stage started. */
  visibleMs: number[];
  /** The approve request's own answer time. */
  responseMs: number[];
  /** Decisions whose effect was not stored within VISIBLE_TIMEOUT_MS (counted at that time). */
  missing: number;
}

/**
 * One decision at a time, each on its own pipeline, by the people in turn. A pause of random length
 * before each lets decisions fall at any moment of the sync engine's cycle, not in step with it.
 */
export async function timeDecisionsToVisible(
  appUrl: string,
  people: readonly Person[],
  approvals: readonly ReadyApproval[],
  watch: DecisionWatch,
  say: (line: string) => void,
  /** Called after each decision with the wall-clock time it was sent (a verbose run's diagnosis). */
  onDecided?: (approval: ReadyApproval, sentAt: number) => Promise<void>,
): Promise<VisibleTimes> {
  const out: VisibleTimes = { visibleMs: [], responseMs: [], missing: 0 };
  for (const [i, approval] of approvals.entries()) {
    const person = people[i % people.length];
    if (!person) throw new Error("nobody to decide");
    await pause(300 + Math.random() * 700);
    const sentAt = Date.now();
    const t0 = performance.now();
    const seen = watch.visible(approval, VISIBLE_TIMEOUT_MS);
    const answer = await decide(appUrl, person, approval.approvalId);
    sentOrThrow(answer, approval.pipeline);
    const at = await seen;
    out.responseMs.push(answer.ms);
    if (at === null) out.missing++;
    out.visibleMs.push(at === null ? VISIBLE_TIMEOUT_MS : at - t0);
    await onDecided?.(approval, sentAt);
    if ((i + 1) % 10 === 0 || i + 1 === approvals.length)
      say(`  ${i + 1}/${approvals.length} decisions, last ${(out.visibleMs.at(-1) ?? 0).toFixed(0)} ms to stored`);
  }
  return out;
}

/** `perApproval` approve requests sent at once on each approval, by `people` in turn; a tally per approval. */
export async function contend(
  appUrl: string,
  people: readonly Person[],
  approvals: readonly ReadyApproval[],
  perApproval: number,
  say: (line: string) => void,
): Promise<ContentionTally[]> {
  const tallies: ContentionTally[] = [];
  for (const [i, approval] of approvals.entries()) {
    const senders = Array.from({ length: perApproval }, (_, k) => people[k % people.length]).filter(
      (p): p is Person => p !== undefined,
    );
    const answers = await Promise.all(senders.map((person) => decide(appUrl, person, approval.approvalId)));
    tallies.push(tallyContention(answers));
    if ((i + 1) % 10 === 0 || i + 1 === approvals.length) say(`  ${i + 1}/${approvals.length} approvals contended`);
  }
  return tallies;
}

export interface GitHubCount {
  total: number;
  requests: Record<string, number>;
}

async function standIn<T>(url: string, path: string, method: "GET" | "POST"): Promise<T> {
  const response = await fetch(
    `${url}/_stand-in${path}`,
    method === "GET" ? {} : { method, headers: { "content-type": "application/json" }, body: "{}" },
  );
  if (!response.ok) throw new Error(`the stand-in's ${path} answered ${response.status}`);
  return (await response.json()) as T;
}

/** Requests that reached the stand-in while `person` decided each approval, one at a time. */
export async function countGitHubRequests(
  appUrl: string,
  standInUrl: string,
  person: Person,
  approvals: readonly ReadyApproval[],
): Promise<GitHubCount> {
  await standIn(standInUrl, "/requests/reset", "POST");
  for (const approval of approvals) sentOrThrow(await decide(appUrl, person, approval.approvalId), approval.pipeline);
  return standIn<GitHubCount>(standInUrl, "/requests", "GET");
}
