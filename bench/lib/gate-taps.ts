// HTTP pass-throughs for the release gate benchmark, each noting what arrived and when, the moment its whole body
// is in, before passing it on unchanged: one in front of the CodePipeline sandbox (every StartPipelineExecution and
// PutApprovalResult, as the sandbox's HTTP edge receives them) and one in front of the process that receives
// GitHub's webhooks (each delivery's id, event and payload, as GitHub sends it). When the process behind is not
// there (killed), the connection is cut as a down receiver's would be, so GitHub logs the delivery as failed.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export type Arrival = { at: number; headers: IncomingMessage["headers"]; body: string; path: string };

export interface Tap {
  url: string;
  stop(): Promise<void>;
}

async function startTap(target: string, observe: (arrival: Arrival) => void): Promise<Tap> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const sockets = new Set<Socket>();
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      observe({ at: Date.now(), headers: req.headers, body: body.toString("utf8"), path: req.url ?? "/" });
      const forwarded = request(
        {
          host: upstream.hostname,
          port: upstream.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: upstream.host },
          agent,
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forwarded.on("error", () => res.destroy());
      forwarded.end(body);
    });
  };
  const server = createServer(handle);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agent.destroy();
      }),
  };
}

export type AwsCall = { at: number; operation: string; input: Record<string, unknown> };

/** In front of the sandbox: the calls of the operations asked for, in arrival order. */
export async function startSandboxTap(target: string, operations: readonly string[]) {
  const calls: AwsCall[] = [];
  const tap = await startTap(target, (arrival) => {
    const operation = String(arrival.headers["x-amz-target"] ?? "").split(".")[1] ?? "";
    if (!operations.includes(operation)) return;
    try {
      calls.push({ at: arrival.at, operation, input: JSON.parse(arrival.body) as Record<string, unknown> });
    } catch {
      calls.push({ at: arrival.at, operation, input: {} });
    }
  });
  return { ...tap, calls };
}

export type DeliveryArrival = { at: number; guid: string; event: string; action: string | null; payload: unknown };

/** In front of the webhook receiver: every delivery attempt that reached it (a receiver that was down included). */
export async function startWebhookTap(target: string) {
  const deliveries: DeliveryArrival[] = [];
  const tap = await startTap(target, (arrival) => {
    let payload: unknown = null;
    try {
      payload = JSON.parse(arrival.body);
    } catch {
      // kept without a payload
    }
    const action = (payload as { action?: unknown } | null)?.action;
    deliveries.push({
      at: arrival.at,
      guid: String(arrival.headers["x-github-delivery"] ?? ""),
      event: String(arrival.headers["x-github-event"] ?? ""),
      action: typeof action === "string" ? action : null,
      payload,
    });
  });
  return { ...tap, deliveries };
}
