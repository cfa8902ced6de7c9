// Measures the sandbox at 5,000 pipelines: start time, then GetPipelineState latency through the real SDK.
import { CodePipelineClient, GetPipelineStateCommand } from "@aws-sdk/client-codepipeline";
import { startSandbox } from "../sandbox/index";

const CALLS = 2_000;

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const sandbox = await startSandbox({ pipelines: 5000, clock: "manual", seed: "bench" });
  const startMs = performance.now() - t0;
  console.log(
    `fleet of 5000 started in ${startMs.toFixed(0)} ms (heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB)`,
  );
  const client = new CodePipelineClient({
    endpoint: sandbox.url,
    region: "us-east-1",
    credentials: { accessKeyId: "AKIDBENCH", secretAccessKey: "bench" },
  });
  const names = [...sandbox.world.pipelines.keys()];
  for (let i = 0; i < 50; i++) await client.send(new GetPipelineStateCommand({ name: names[i % names.length] }));
  const times: number[] = [];
  for (let i = 0; i < CALLS; i++) {
    const name = names[(i * 7919) % names.length];
    const start = performance.now();
    await client.send(new GetPipelineStateCommand({ name }));
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  client.destroy();
  await sandbox.stop();
  const median = percentile(times, 50);
  const p95 = percentile(times, 95);
  console.log(`GetPipelineState x${CALLS}: median ${median.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms`);
  console.log(
    `figures: fleet_5000_start_ms=${Math.round(startMs)} get_pipeline_state_median_ms=${median.toFixed(2)} get_pipeline_state_p95_ms=${p95.toFixed(2)}`,
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
