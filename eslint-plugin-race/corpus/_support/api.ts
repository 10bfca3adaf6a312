/** The tRPC React client, as `~/trpc/react` would export it. */
import { createTRPCReact } from "@trpc/react-query";

import type { AppRouter } from "./router";

export const api = createTRPCReact<AppRouter>();
