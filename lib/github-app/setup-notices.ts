// What the setup page says after the manifest flow came back (`/settings/github-app?setup=<code>`). Only these codes
// are read from the address, and each maps to fixed words: nothing from the address reaches the page as text.

export const SETUP_NOTICES = {
  registered: { tone: "success", text: "The GitHub App was created and its credentials stored. Install it below." },
  "state-mismatch": {
    tone: "error",
    text: "GitHub came back with a code this session did not ask for (or after more than an hour), so it was not used. Start again from this page.",
  },
  "already-configured": {
    tone: "error",
    text: "Stageboard already has a GitHub App, so the new one was not stored. Delete the new App on GitHub if you do not need it.",
  },
  "code-rejected": {
    tone: "error",
    text: "GitHub did not accept the code: it works once, within an hour of starting. Start again from this page.",
  },
  "github-unreachable": {
    tone: "error",
    text: "GitHub could not be reached to collect the App's credentials. Start again once it answers.",
  },
  "no-encryption-key": {
    tone: "error",
    text: "TOKEN_ENCRYPTION_KEY is not set, so the App's credentials cannot be stored. Set it, or configure the App with GITHUB_APP_* instead.",
  },
  installed: { tone: "success", text: "GitHub sent you back after installing the App: the list below is fresh." },
} as const;

export type SetupNotice = keyof typeof SETUP_NOTICES;

export function readSetupNotice(value: unknown): SetupNotice | null {
  return typeof value === "string" && Object.hasOwn(SETUP_NOTICES, value) ? (value as SetupNotice) : null;
}
