// Response headers that make the browser enforce what Stageboard already promises: only its own
// scripts run, nothing frames it, nothing sniffs content types, and https once served over https.
// Pure functions: next.config.mjs takes the static set (it is fixed at build time), proxy.ts builds the
// per-request ones (a fresh nonce per page; HSTS from the public URL configured at run time).

/** The same on every response, set once in next.config.mjs. */
export const STATIC_SECURITY_HEADERS: readonly { key: string; value: string }[] = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  // Redundant with frame-ancestors 'none' for current browsers; kept for those without CSP level 2.
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  {
    key: "Permissions-Policy",
    value:
      "camera=(), microphone=(), geolocation=(), payment=(), usb=(), serial=(), hid=(), bluetooth=(), browsing-topics=()",
  },
  { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
];

/** A fresh nonce: 128 random bits, base64. */
export function createNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Where GitHub serves avatars, besides GITHUB_URL itself: github.com from its own host, GitHub
 * Enterprise Server under GITHUB_URL/avatars, or `avatars.<host>` with subdomain isolation on.
 */
export function avatarOrigins(githubUrl: string): string[] {
  const github = new URL(githubUrl);
  if (github.hostname === "github.com") return ["https://avatars.githubusercontent.com"];
  // An address or localhost (the stand-in) has no subdomains.
  if (/^[\d.]+$|^\[|^localhost$/.test(github.hostname)) return [github.origin];
  return [github.origin, `${github.protocol}//avatars.${github.host}`];
}

export type PagePolicyInput = {
  nonce: string;
  /** GITHUB_URL: sign-in is sent there, avatars come from there. */
  githubUrl: string;
  /** The public URL is https: ask the browser to upgrade any http subresource. */
  https: boolean;
  /** `next dev`: React's dev build evaluates code to rebuild server error stacks (never in production). */
  development: boolean;
};

/**
 * The Content-Security-Policy of a page. Scripts run only with this response's nonce, which Next puts
 * on its own scripts (it reads the nonce from this header on the request), and 'strict-dynamic' lets
 * those load the chunks they import; no 'unsafe-inline', no 'unsafe-eval' outside development.
 * Inline style *attributes* are allowed (the execution timeline positions its bars with them): they
 * cannot run script, and a <style> element still needs the nonce.
 */
export function pageContentSecurityPolicy(input: PagePolicyInput): string {
  const github = new URL(input.githubUrl).origin;
  const nonce = `'nonce-${input.nonce}'`;
  const directives = [
    "default-src 'self'",
    `script-src ${nonce} 'strict-dynamic'${input.development ? " 'unsafe-eval'" : ""}`,
    `style-src 'self' ${nonce}`,
    "style-src-attr 'unsafe-inline'",
    `img-src 'self' data: ${[...new Set(avatarOrigins(input.githubUrl))].join(" ")}`,
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    // Sign-in posts to next-auth, which redirects to GitHub's authorize page.
    `form-action 'self' ${github}`,
    "frame-ancestors 'none'",
    ...(input.https ? ["upgrade-insecure-requests"] : []),
  ];
  return directives.join("; ");
}

/** JSON answers load nothing and render nothing; if one is ever opened as a document, it stays inert. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

/**
 * HSTS only when the public URL is https: sent over plain http it would be ignored at best, and a
 * local `http://localhost` must not learn to insist on https. Two years, the subdomains of the
 * Stageboard host included (not its parent domain); no preload, which is an owner's decision.
 */
export function strictTransportSecurity(publicUrl: string | undefined): string | null {
  return publicUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
