import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";
import { E2E } from "./e2e/environment";

// Debian's chromium when present (no browser download is possible on our machines), else Playwright's own.
const executablePath = existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined;

export default defineConfig({
  testDir: "e2e",
  fullyParallel: true,
  forbidOnly: !!process.env.CI,
  // A test that needs a retry to pass is a failing test.
  retries: 0,
  workers: 2,
  // Budgets for two cores shared by the whole stack, two browsers and whatever else the machine runs.
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: process.env.CI ? [["list"], ["html", { open: "never" }]] : "list",
  use: {
    baseURL: E2E.appUrl,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // Specs run in parallel; each changes only pipelines, repositories and users of its own (e2e/fixtures.ts).
  // Those tagged @serial change what every spec sees (the sandbox's clock) or take the machine's CPU for a
  // while (a second Stageboard): they run one at a time, after all the others have finished.
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"] }, grepInvert: /@serial/ },
    {
      name: "chromium-serial",
      use: { ...devices["Desktop Chrome"] },
      grep: /@serial/,
      dependencies: ["chromium"],
      fullyParallel: false,
      workers: 1,
    },
  ],
  webServer: {
    command: "node --conditions=react-server --import tsx e2e/server.ts",
    url: `${E2E.appUrl}/api/health`,
    wait: { stderr: /e2e stack synced/ },
    timeout: 600_000,
    reuseExistingServer: false,
    // Let the stack stop in order (app, then database) instead of a SIGKILL of the process group.
    gracefulShutdown: { signal: "SIGTERM", timeout: 30_000 },
    stdout: "ignore",
    stderr: "pipe",
  },
});
