// What a check run's output says about a click on GitHub (pure): Stageboard's reasons are worded for the person in
// front of the dashboard ("you have read"); on GitHub everyone reads them, so they name the clicker instead.

export type ClickResult = "succeeded" | "recorded" | "refused" | "failed";

/** "needs write on acme/web-app; you have read" → "@linus needs write on acme/web-app; they have read". */
export function refusalFor(login: string, reason: string): string {
  const who = `@${login}`;
  const said = reason.trim().replace(/; you have /g, "; they have ");
  if (/^you /i.test(said)) return `${who} ${said.slice(4)}`;
  if (/^needs /i.test(said)) return `${who} ${said}`;
  return `${who}: ${said}`;
}

/** What the run says once a click was recorded as a vote that does not decide yet. */
export function recordedFor(login: string, message: string): string {
  const rest = message.replace(/^Your approval is recorded; /, "");
  return `Approval by @${login} on GitHub recorded; ${rest.replace(/\.$/, "")}`;
}

/** What a retry from GitHub did. */
export function retriedFor(login: string, stageName: string): string {
  return `Retried by @${login} on GitHub: the failed actions of ${stageName}`;
}
