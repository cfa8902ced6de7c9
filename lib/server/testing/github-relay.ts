import { createServer, request, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A relay in front of the GitHub stand-in for tests: it forwards every request unchanged (the Host header
// included, so the stand-in's page links point back at the relay), counts them by path, and can stall:
// requests that arrive while stalled get no answer until released (then their connection is cut), the
// way a GitHub that stops answering looks to the app.
export type GitHubRelay = {
  url: string;
  /** Requests seen (answered or not) whose path starts with `prefix`. */
  requests(prefix: string): number;
  stall(on: boolean): void;
  /** Cuts every stalled request's connection. */
  release(): void;
  stop(): Promise<void>;
};

export async function startGitHubRelay(upstream: string): Promise<GitHubRelay> {
  const seen: string[] = [];
  const held = new Set<ServerResponse>();
  let stalled = false;
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? "/", "http://relay.invalid").pathname;
    seen.push(path);
    if (stalled) {
      held.add(res);
      return;
    }
    const forwarded = request(`${upstream}${req.url ?? "/"}`, { method: req.method, headers: req.headers }, (up) => {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    forwarded.on("error", () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const release = () => {
    for (const res of held) res.destroy();
    held.clear();
  };
  return {
    url: `http://127.0.0.1:${port}`,
    requests: (prefix) => seen.filter((path) => path.startsWith(prefix)).length,
    stall: (on) => {
      stalled = on;
    },
    release,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        release();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
