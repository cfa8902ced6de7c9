// Finds or installs the Chromium that the end-to-end tests drive, so that `npm test` on a fresh
// machine needs nothing done by hand: Debian's /usr/bin/chromium when present, else Playwright's
// own browser when installed, else one installed now (Debian's package through apt-get when running
// as root on Debian; `playwright install chromium` elsewhere, where downloads work). playwright.config.ts
// picks the same browser in the same order.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { chromium } from "@playwright/test";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

function found() {
  return existsSync(DEBIAN_CHROMIUM) || existsSync(chromium.executablePath());
}

function isDebian() {
  try {
    return /^ID=("?)debian\1$/m.test(readFileSync("/etc/os-release", "utf8"));
  } catch {
    return false;
  }
}

function run(command, args) {
  const result = spawnSync(command, args, {
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
  });
  return result.status === 0;
}

function installFromDebian() {
  console.error("Installing Debian's chromium for the end-to-end tests (apt-get install chromium)…");
  const install = () => run("apt-get", ["install", "-y", "--no-install-recommends", "chromium"]);
  // A fresh machine may have no package lists yet: read them once, then try again.
  return install() || (run("apt-get", ["update"]) && install());
}

function installFromPlaywright() {
  console.error("Installing Playwright's Chromium for the end-to-end tests (playwright install chromium)…");
  const root = process.getuid?.() === 0;
  return run(process.execPath, [
    "node_modules/@playwright/test/cli.js",
    "install",
    ...(root ? ["--with-deps"] : []),
    "chromium",
  ]);
}

if (!found()) {
  const root = process.getuid?.() === 0;
  const installed = root && isDebian() ? installFromDebian() : installFromPlaywright();
  if (!installed || !found()) {
    console.error(
      "No Chromium for the end-to-end tests: install Debian's chromium (sudo apt-get install chromium) " +
        "or Playwright's (npx playwright install chromium), then run npm test again.",
    );
    process.exit(1);
  }
}
