// `npm run sandbox -- --port <p> [--pipelines n] [--seed s] [--clock real|manual] [--history-days d]
//   [--events-url u --events-header name --events-secret s] [--state-file f] [--github-url u] [--roles file.json]`
// --roles names a JSON file with the roles STS may hand out (an array of { arn, statements, maxSessionSeconds? }).
// The events secret may also come from SANDBOX_EVENTS_SECRET, which other local users cannot read
// the way they can read a command line.
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { parseRoles } from "./iam/roles";
import { startSandbox, type SandboxOptions } from "./index";

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer`);
  return n;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string" },
      pipelines: { type: "string" },
      seed: { type: "string" },
      clock: { type: "string" },
      "history-days": { type: "string" },
      "events-url": { type: "string" },
      "events-header": { type: "string" },
      "events-secret": { type: "string" },
      "events-batch": { type: "string" },
      "state-file": { type: "string" },
      region: { type: "string" },
      "github-url": { type: "string" },
      roles: { type: "string" },
    },
  });
  const clock = values.clock ?? "real";
  if (clock !== "real" && clock !== "manual") throw new Error("--clock must be real or manual");
  const pipelines = int(values.pipelines, "pipelines");
  const historyDays = int(values["history-days"], "history-days");
  const batch = int(values["events-batch"], "events-batch");
  const eventsSecret = values["events-secret"] ?? process.env.SANDBOX_EVENTS_SECRET;
  const options: SandboxOptions = {
    port: int(values.port, "port") ?? 0,
    clock,
    ...(pipelines !== undefined ? { pipelines } : {}),
    ...(values.seed !== undefined ? { seed: values.seed } : {}),
    ...(historyDays !== undefined ? { historyDays } : {}),
    ...(values.region !== undefined ? { region: values.region } : {}),
    ...(values["github-url"] !== undefined ? { githubUrl: values["github-url"] } : {}),
    ...(values["state-file"] !== undefined ? { stateFile: values["state-file"] } : {}),
    ...(values.roles !== undefined ? { roles: parseRoles(JSON.parse(readFileSync(values.roles, "utf8"))) } : {}),
    ...(values["events-url"] !== undefined
      ? {
          events: {
            url: values["events-url"],
            ...(values["events-header"] ? { headerName: values["events-header"] } : {}),
            ...(eventsSecret !== undefined ? { secret: eventsSecret } : {}),
            ...(batch ? { batchSize: batch } : {}),
          },
        }
      : {}),
  };
  const sandbox = await startSandbox(options);
  console.log(`listening on ${sandbox.url}`);
  const shutdown = () => {
    sandbox.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", shutdown);
  process.once("SIGINT", shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
