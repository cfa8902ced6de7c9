// Sequential GETs against the running app, timed from the request until the whole body is read
// (a streamed page counts only when its last byte has arrived). Every answer is checked so an
// error page or a sign-in redirect can never pass as a fast response.

export interface PageCheck {
  path: string;
  /** Text the real page contains and an error or sign-in page does not. */
  expect: string[];
  /** A marker that must occur at least this often (e.g. one per overview row). */
  atLeast?: { text: string; count: number };
}

const occurrences = (body: string, text: string) => body.split(text).length - 1;

export async function getPage(
  baseUrl: string,
  cookie: string,
  page: PageCheck,
): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const response = await fetch(`${baseUrl}${page.path}`, {
    headers: { cookie, accept: "text/html" },
    redirect: "manual",
  });
  const body = await response.text();
  const ms = performance.now() - t0;
  if (response.status !== 200)
    throw new Error(
      `GET ${page.path} answered ${response.status}${response.headers.get("location") ? ` → ${response.headers.get("location")}` : ""}`,
    );
  const missing = page.expect.filter((text) => !body.includes(text));
  if (missing.length)
    throw new Error(
      `GET ${page.path} is missing ${missing.map((m) => JSON.stringify(m)).join(", ")} (${body.length} bytes)`,
    );
  const found = page.atLeast ? occurrences(body, page.atLeast.text) : 0;
  if (page.atLeast && found < page.atLeast.count)
    throw new Error(
      `GET ${page.path} has ${found} × ${JSON.stringify(page.atLeast.text)}, expected at least ${page.atLeast.count}`,
    );
  return { ms, bytes: body.length };
}

/** `warmup` unmeasured requests, then `runs` measured ones, one at a time; times in ms and the last body size. */
export async function timePage(
  baseUrl: string,
  cookie: string,
  page: PageCheck,
  runs: number,
  warmup: number,
): Promise<{ times: number[]; bytes: number }> {
  for (let i = 0; i < warmup; i++) await getPage(baseUrl, cookie, page);
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < runs; i++) {
    const result = await getPage(baseUrl, cookie, page);
    times.push(result.ms);
    bytes = result.bytes;
  }
  return { times, bytes };
}
