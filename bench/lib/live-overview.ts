// What a console-style page does without Stageboard: list every pipeline, then its state and
// latest execution, straight from the CodePipeline API (the sandbox here).
import {
  CodePipelineClient,
  GetPipelineStateCommand,
  ListPipelineExecutionsCommand,
  paginateListPipelines,
} from "@aws-sdk/client-codepipeline";
import { startSandbox } from "../../sandbox/index";

const LIVE_CONCURRENCY = 10;

async function liveOverview(client: CodePipelineClient): Promise<number> {
  const t0 = performance.now();
  const names: string[] = [];
  for await (const page of paginateListPipelines({ client }, {}))
    names.push(...(page.pipelines ?? []).flatMap((p) => (p.name ? [p.name] : [])));
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++];
      if (!name) continue;
      await Promise.all([
        client.send(new GetPipelineStateCommand({ name })),
        client.send(new ListPipelineExecutionsCommand({ pipelineName: name, maxResults: 1 })),
      ]);
    }
  };
  await Promise.all(Array.from({ length: LIVE_CONCURRENCY }, worker));
  return performance.now() - t0;
}

/** Three full live overviews of `pipelines` sandbox pipelines; times in ms. */
export async function timeLiveOverview(pipelines: number): Promise<number[]> {
  const sandbox = await startSandbox({ pipelines, clock: "manual", seed: "bench-ui", historyDays: 7 });
  const client = new CodePipelineClient({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
    maxAttempts: 1,
  });
  try {
    const live: number[] = [];
    for (let i = 0; i < 3; i++) live.push(await liveOverview(client));
    return live;
  } finally {
    client.destroy();
    await sandbox.stop();
  }
}
