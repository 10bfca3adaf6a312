/** Child process for tests: starts the embedded server on argv[2], prints READY, then waits. */
import { startEmbeddedPostgres } from "~/server/db/embedded";

const server = await startEmbeddedPostgres({ dataDir: process.argv[2] ?? "", log: () => undefined });
console.log(`READY ${server.port}`);
setInterval(() => undefined, 60_000);
