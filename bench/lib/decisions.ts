// Approval decisions through the app's own route, POST /api/approvals/[id]/decision, as the browser
// sends them (session cookie, same Origin, JSON), and what a burst of them on one approval came to.

export interface DecisionAnswer {
  login: string;
  status: number;
  /** `data.result` of a 200 ("sent" or "recorded"), else null. */
  result: string | null;
  /** The error's message, or the outcome's. */
  message: string;
  /** From sending the request until its whole answer was read. */
  ms: number;
}

export async function decide(
  appUrl: string,
  person: { login: string; cookie: string },
  approvalId: string,
): Promise<DecisionAnswer> {
  const t0 = performance.now();
  const response = await fetch(`${appUrl}/api/approvals/${approvalId}/decision`, {
    method: "POST",
    headers: { cookie: person.cookie, origin: appUrl, "content-type": "application/json" },
    body: JSON.stringify({ decision: "approve", comment: "Benchmark release" }),
    redirect: "manual",
  });
  const text = await response.text();
  const ms = performance.now() - t0;
  let body: { data?: { result?: string; message?: string }; error?: { message?: string } } = {};
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    // Not JSON (an error page): the message says what came instead.
  }
  return {
    login: person.login,
    status: response.status,
    result: body.data?.result ?? null,
    message: body.error?.message ?? body.data?.message ?? text.slice(0, 200),
    ms,
  };
}

export interface ContentionTally {
  /** Answers that sent the decision to AWS (exactly one per approval when all is well). */
  winners: number;
  losers: number;
  /** Losers answered 409 with a message naming the person whose decision went first. */
  losersToldWho: number;
  /** Answers of 500 or more. */
  serverErrors: DecisionAnswer[];
  /** Other answers that are neither the win nor a 409 (a 403, a 429…), for the report. */
  unexpected: DecisionAnswer[];
}

/** Whether `message` names `@login` as a whole login (not the start of a longer one). */
export function namesLogin(message: string, login: string): boolean {
  const escaped = login.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return new RegExp(`@${escaped}(?![A-Za-z0-9-])`, "i").test(message);
}

/** What the concurrent answers to one approval came to. Pure. */
export function tallyContention(answers: readonly DecisionAnswer[]): ContentionTally {
  const won = answers.filter((a) => a.status === 200 && a.result === "sent");
  const winner = won.length === 1 ? won[0]?.login : undefined;
  const losers = answers.filter((a) => !won.includes(a));
  return {
    winners: won.length,
    losers: losers.length,
    losersToldWho: winner ? losers.filter((a) => a.status === 409 && namesLogin(a.message, winner)).length : 0,
    serverErrors: answers.filter((a) => a.status >= 500),
    unexpected: losers.filter((a) => a.status !== 409 && a.status < 500),
  };
}
