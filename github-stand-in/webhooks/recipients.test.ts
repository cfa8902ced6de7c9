import { describe, expect, it } from "vitest";
import type { AppRecord } from "../world/apps";
import type { InstallationRecord } from "../world/installations";
import type { Repository } from "../world/world";
import { recipients } from "./recipients";

const repository: Repository = { id: 70001, owner: "acme", name: "web-app", fullName: "acme/web-app", private: true };
const acme = { id: 9001, login: "acme", name: null, email: null, type: "Organization" as const };

function app(id: number, overrides: Partial<AppRecord> = {}): AppRecord {
  return {
    id,
    webhookUrl: "http://127.0.0.1:1/hook",
    webhookActive: true,
    ...overrides,
  } as AppRecord;
}

function installation(appId: number, overrides: Partial<InstallationRecord> = {}): InstallationRecord {
  return {
    id: 500000 + appId,
    appId,
    account: acme,
    repositorySelection: "all",
    repositoryIds: new Set(),
    permissions: { metadata: "read", checks: "write", contents: "read", statuses: "read" },
    events: ["push", "check_run", "check_suite", "status"],
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-01T00:00:00Z",
    ...overrides,
  };
}

const ids = (found: ReturnType<typeof recipients>) => found.map((r) => r.app.id);

describe("webhook recipients", () => {
  it("needs an active webhook URL, an installation on the repository and a subscription", () => {
    const apps = [app(1), app(2, { webhookUrl: null }), app(3, { webhookActive: false }), app(4), app(5), app(6)];
    const installations = [
      installation(1),
      installation(2),
      installation(3),
      installation(4, { repositorySelection: "selected", repositoryIds: new Set([70002]) }),
      installation(5, { events: ["status"] }),
      installation(6, { account: { ...acme, id: 9002, login: "globex" } }),
    ];
    expect(ids(recipients(apps, installations, { event: "push", repository }))).toEqual([1]);
    expect(ids(recipients(apps, installations, { event: "status", repository }))).toEqual([1, 5]);
  });

  it("holds each event to its permission, and a suite's request to Apps that may write checks", () => {
    const apps = [app(1), app(2), app(3)];
    const installations = [
      installation(1),
      installation(2, { permissions: { metadata: "read", checks: "read" } }),
      installation(3, { permissions: { metadata: "read" } }),
    ];
    expect(ids(recipients(apps, installations, { event: "push", repository }))).toEqual([1]);
    expect(ids(recipients(apps, installations, { event: "check_run", repository }))).toEqual([1, 2]);
    expect(ids(recipients(apps, installations, { event: "check_suite", repository, level: "write" }))).toEqual([1]);
    expect(ids(recipients(apps, installations, { event: "status", repository }))).toEqual([1]);
  });

  it("sends what concerns one App's run to that App only", () => {
    const apps = [app(1), app(2)];
    const installations = [installation(1), installation(2)];
    expect(ids(recipients(apps, installations, { event: "check_run", repository, onlyAppId: 2 }))).toEqual([2]);
  });
});
