// How many requests reached the stand-in's GitHub side (REST, OAuth, avatars) since the last reset, so a
// benchmark can say what one feature of the app costs in GitHub calls. The control plane itself is not
// counted. Counted per method and path; past MAX_KEYS distinct paths the rest are summed under "other",
// so a long run cannot grow the table without bound.

const MAX_KEYS = 500;
const OTHER = "other";

export class RequestCounts {
  private total = 0;
  private byRequest = new Map<string, number>();
  // REST requests per route template ("POST /repos/{owner}/{repo}/check-runs"): bounded by the routes, never "other".
  private byRoute = new Map<string, number>();
  private since: number;

  constructor(
    private readonly now: () => number,
    private readonly templateOf: (method: string, path: string) => string | null = () => null,
  ) {
    this.since = now();
  }

  count(method: string, path: string): void {
    this.total++;
    const name = `${method} ${path}`;
    const key = this.byRequest.has(name) || this.byRequest.size < MAX_KEYS ? name : OTHER;
    this.byRequest.set(key, (this.byRequest.get(key) ?? 0) + 1);
    const template = this.templateOf(method, path);
    if (template !== null)
      this.byRoute.set(`${method} ${template}`, (this.byRoute.get(`${method} ${template}`) ?? 0) + 1);
  }

  reset(): void {
    this.total = 0;
    this.byRequest = new Map();
    this.byRoute = new Map();
    this.since = this.now();
  }

  toJson(): { since: string; total: number; requests: Record<string, number>; routes: Record<string, number> } {
    const sorted = (map: Map<string, number>) =>
      Object.fromEntries([...map].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return {
      since: new Date(this.since).toISOString(),
      total: this.total,
      requests: sorted(this.byRequest),
      routes: sorted(this.byRoute),
    };
  }
}
