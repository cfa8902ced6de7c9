// An HTTP pass-through in front of the GitHub stand-in, on a fixed port, for the write-back benchmark. It changes
// nothing on the way and keeps, for each check-run write the stand-in accepted, the moment its answer came back
// and the run's state in it: the first moment the stand-in is known to hold that state. It counts the
// content-creating requests per repository owner (one App installation each), and it can go down: the listener
// closed and every open connection cut, so connections are refused as from a GitHub that cannot be reached, then
// listening again on the same port.
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from "node:http";
import type { Socket } from "node:net";
import type { CheckObservation } from "./github-expect";

export interface GitHubTap {
  url: string;
  readonly observations: CheckObservation[];
  /** Content-creating requests the stand-in accepted (2xx), per repository owner. */
  readonly content: Map<string, number>;
  /** Requests passed on while up. */
  readonly passed: number;
  /** Content-creating requests the stand-in refused with 403 or 429 (its limits, or an injected fault). */
  readonly refused: number;
  /** How long each request took from its arrival here to the stand-in's whole answer, in ms. */
  readonly answerMs: number[];
  /** Closes the listener and cuts every connection; `up` listens again. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

const CHECK_RUN_WRITE = /^\/api\/v3\/repos\/[^/]+\/[^/]+\/check-runs(\/\d+)?$/;
const CONTENT_WRITE =
  /^\/api\/v3\/repos\/([^/]+)\/[^/]+\/(check-runs(\/\d+)?|statuses\/[0-9a-f]{40}|deployments|deployments\/\d+\/statuses)$/;

export async function startGitHubTap(target: string, port: number): Promise<GitHubTap> {
  const upstream = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const observations: CheckObservation[] = [];
  const content = new Map<string, number>();
  let passed = 0;
  let refused = 0;
  const answerMs: number[] = [];
  const sockets = new Set<Socket>();

  const observe = (req: IncomingMessage, status: number, body: Buffer) => {
    const path = (req.url ?? "").split("?")[0] ?? "";
    if (req.method === "GET") return;
    const owner = CONTENT_WRITE.exec(path)?.[1];
    if (owner && (status === 403 || status === 429)) refused++;
    if (status < 200 || status >= 300) return;
    if (owner) content.set(owner, (content.get(owner) ?? 0) + 1);
    if (!CHECK_RUN_WRITE.test(path)) return;
    try {
      const run = JSON.parse(body.toString("utf8")) as {
        external_id?: string | null;
        status?: string;
        conclusion?: string | null;
      };
      if (run.external_id && run.status)
        observations.push({
          externalId: run.external_id,
          at: Date.now(),
          status: run.status,
          conclusion: run.conclusion ?? null,
        });
    } catch {
      // Not a run in the answer: nothing to observe.
    }
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    passed++;
    const t0 = performance.now();
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
        const chunks: Buffer[] = [];
        answer.on("data", (chunk: Buffer) => chunks.push(chunk));
        answer.on("end", () => {
          const body = Buffer.concat(chunks);
          answerMs.push(performance.now() - t0);
          observe(req, answer.statusCode ?? 0, body);
          const headers = { ...answer.headers };
          delete headers["transfer-encoding"];
          headers["content-length"] = String(body.length);
          res.writeHead(answer.statusCode ?? 502, headers).end(body);
        });
        answer.on("error", () => res.destroy());
      },
    );
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  };

  const server = createServer(handle);
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.once("close", () => sockets.delete(socket));
  });
  const listen = () => new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
    });
  await listen();
  return {
    url: `http://127.0.0.1:${port}`,
    observations,
    content,
    answerMs,
    get passed() {
      return passed;
    },
    get refused() {
      return refused;
    },
    down: close,
    up: listen,
    async stop() {
      await close();
      agent.destroy();
    },
  };
}
