/**
 * Loads `.env`, `.env.local` and the NODE_ENV-specific files into process.env the way
 * `next dev` / `next start` do (Next's own loader, @next/env; the shell's environment
 * wins), so a script that starts the database or the servers sees the same settings as the
 * app. Import it first: ~/env reads process.env when it is imported. See .env.example.
 */
import nextEnv from "@next/env";

nextEnv.loadEnvConfig(process.cwd(), process.env.NODE_ENV !== "production", { info: () => undefined, error: console.error });
