import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Viewer } from "@/lib/server/session";
import { createTestDatabase, type TestDatabase } from "@/lib/server/testing/test-database";
import { allAudit, csvCell, csvLine, listAudit } from "./list-audit";
import { recordAttempt, recordOutcome } from "./record";

// Who reads which entries, the filters, the pages and the exports, against a real database written by the
// log's own writers.
let database: TestDatabase;

const viewer = (over: Partial<Viewer> = {}): Viewer => ({
  userId: "u",
  login: "linus",
  name: null,
  image: null,
  isAdmin: false,
  repositories: new Map([["acme/web-app", "read"]]),
  repositoryIds: new Map([["acme/web-app", 7n]]),
  fetchedAt: new Date(),
  accessError: null,
  ...over,
});

const subject = (repository: string, repositoryGithubId: bigint) => ({
  repository,
  repositoryGithubId,
  pipelineId: `p-${repositoryGithubId}`,
  pipelineName: `${repository.split("/")[1]}-deploy`,
  stageName: "Deploy",
});

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  for (let i = 0; i < 3; i++) {
    const attempt = await recordAttempt(db, {
      actor: { githubId: 1001n, login: "ada" },
      action: "retry-stage",
      subject: subject("acme/web-app", 7n),
      parameters: { retryMode: "FAILED_ACTIONS" },
      comment: i === 0 ? '=HYPERLINK("http://evil")' : null,
      requestId: `r${i}`,
    });
    await recordOutcome(db, attempt, { outcome: i === 2 ? "failed" : "succeeded", awsRequestId: `aws-${i}` });
  }
  await recordAttempt(db, {
    actor: { githubId: 1002n, login: "grace" },
    action: "stop-execution",
    subject: subject("globex/storefront", 9n),
    requestId: "r9",
  });
});
afterAll(async () => database?.drop());

describe("reading the audit log", () => {
  it("shows a reader the entries of repositories they can read, an administrator everything", async () => {
    const db = database.db;
    const reader = await listAudit(db, viewer(), {});
    expect(reader.data).toHaveLength(6);
    expect(new Set(reader.data.map((e) => e.repository))).toEqual(new Set(["acme/web-app"]));
    expect((await listAudit(db, viewer({ isAdmin: true }), {})).data).toHaveLength(7);
    expect((await listAudit(db, viewer(), { repository: "globex/storefront" })).data).toEqual([]);
    expect((await listAudit(db, viewer({ isAdmin: true }), { repository: "GLOBEX/storefront" })).data).toHaveLength(1);
  });

  it("filters by person, action, outcome and time, and pages newest first", async () => {
    const db = database.db;
    const admin = viewer({ isAdmin: true });
    expect((await listAudit(db, admin, { actor: "@Grace" })).data.map((e) => e.action)).toEqual(["stop-execution"]);
    const failed = await listAudit(db, admin, { action: "retry-stage", outcome: "failed" });
    expect(failed.data).toHaveLength(1);
    expect(failed.data[0]).toMatchObject({ entry: "outcome", awsRequestId: "aws-2", actorLogin: "ada" });
    expect((await listAudit(db, admin, { to: "2000-01-01" })).data).toEqual([]);
    expect((await listAudit(db, admin, { from: new Date().toISOString().slice(0, 10) })).data).toHaveLength(7);
    const first = await listAudit(db, admin, {}, 4);
    const second = await listAudit(db, admin, { cursor: first.meta.nextCursor ?? undefined }, 4);
    expect(second.data).toHaveLength(3);
    expect(second.meta.nextCursor).toBeNull();
    const ids = [...first.data, ...second.data].map((e) => BigInt(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => (a > b ? -1 : 1)));
  });

  it("exports every match, with CSV cells that a spreadsheet cannot run", async () => {
    const all = [];
    for await (const entry of allAudit(database.db, viewer({ isAdmin: true }), {})) all.push(entry);
    expect(all).toHaveLength(7);
    expect(csvCell('=HYPERLINK("http://evil")')).toBe(`"'=HYPERLINK(""http://evil"")"`);
    expect(csvCell("-1+2")).toBe(`"'-1+2"`);
    expect(csvCell("@SUM(A1)")).toBe(`"'@SUM(A1)"`);
    expect(csvCell("ship it")).toBe('"ship it"');
    const line = csvLine(all.find((e) => e.comment?.startsWith("="))!);
    expect(line).toContain(`"'=HYPERLINK`);
    expect(line.endsWith("\r\n")).toBe(true);
  });
});
