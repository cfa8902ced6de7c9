// Tab titles that say how a pipeline is doing, as GitHub's pull request tabs do: a tick for a
// pipeline whose latest execution succeeded, the status in words otherwise.
import { statusLabel, statusTone } from "./status";

/** "✓ web-app-prod", "Failed · web-app-prod", "In progress · web-app-prod"; the name alone without runs. */
export function pipelineTitle(name: string, status: string | null | undefined): string {
  if (!status) return name;
  if (statusTone(status) === "success") return `✓ ${name}`;
  return `${statusLabel(status)} · ${name}`;
}

/** A pipeline page's title: `page` first (e.g. "History"), then the pipeline and its status. */
export function pipelinePageTitle(input: { name: string; status: string | null | undefined; page?: string }): string {
  const pipeline = pipelineTitle(input.name, input.status);
  return input.page ? `${input.page} · ${pipeline}` : pipeline;
}
