/**
 * The import boundaries (eslint.boundaries.mjs, docs/architecture.md), each shown firing on a
 * violating file and staying quiet on the allowed one, through ESLint's Node API with the
 * repo's own config (eslint.config.mjs), as `npm run lint` runs it. The files are virtual:
 * nothing is written to the tree.
 */
import path from "node:path";

import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "../..");
const eslint = new ESLint({ cwd: root });

/** The boundary reports for `code` as if it were the file at `file`. */
async function boundaryReports(file: string, code: string) {
  // Typed rules need a file the TypeScript project knows; these blocks need no types.
  const [result] = await new ESLint({
    cwd: root,
    overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    ruleFilter: ({ ruleId }) => ruleId === "@typescript-eslint/no-restricted-imports",
  }).lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).map((message) => message.message);
}

describe("import boundaries", () => {
  it("client code may not import ~/server/** (a type-only import may)", async () => {
    const panel = "src/app/projects/[id]/generate/workspace/panels/Example.tsx";
    expect(await boundaryReports(panel, 'import { getDb } from "~/server/db";\nexport const db = getDb;\n')).toEqual([
      expect.stringMatching(/Client code reaches the server through tRPC/),
    ]);
    expect(await boundaryReports(panel, 'import type { AppRouter } from "~/server/api/root";\nexport type R = AppRouter;\n')).toEqual([]);
    expect(await boundaryReports("src/app/api/example/route.ts", 'import { getDb } from "~/server/db";\nexport const db = getDb;\n')).toEqual([]);
  });

  it("the app may not import the Race Lab; the lab may import the app", async () => {
    const naive = 'import { naiveApply } from "~/server/lab/welcome-reset/naive";\nexport const apply = naiveApply;\n';
    expect(await boundaryReports("src/server/services/example.ts", naive)).toEqual([expect.stringMatching(/never imports the Race Lab/)]);
    expect(await boundaryReports("src/app/projects/[id]/generate/workspace/Example.tsx", 'import { LabSwitcher } from "~/app/lab/_components/workspace/LabSwitcher";\nexport const s = LabSwitcher;\n')).toEqual([
      expect.stringMatching(/never imports the Race Lab/),
    ]);
    expect(await boundaryReports("src/server/lab/example.ts", naive)).toEqual([]);
    expect(await boundaryReports("src/app/lab/_components/Example.tsx", 'import { Workspace } from "~/app/projects/[id]/generate/workspace/Workspace";\nexport const w = Workspace;\n')).toEqual([]);
  });

  it("services may not import the API layer or tRPC", async () => {
    for (const code of ['import { TRPCError } from "@trpc/server";\nexport const E = TRPCError;\n', 'import { toTRPCError } from "~/server/api/errors";\nexport const m = toTRPCError;\n']) {
      expect(await boundaryReports("src/server/services/example.ts", code)).toEqual([expect.stringMatching(/Services know no transport/)]);
    }
    expect(await boundaryReports("src/server/api/routers/example.ts", 'import { TRPCError } from "@trpc/server";\nexport const E = TRPCError;\n')).toEqual([]);
  });

  it("the brain may not import the generation flow (the flow imports the brain)", async () => {
    const flow = 'import { claimExchange } from "~/server/services/generation/claim";\nexport const c = claimExchange;\n';
    expect(await boundaryReports("src/server/services/brain/tools/example.ts", flow)).toEqual([expect.stringMatching(/does not know the generation flow/)]);
    expect(await boundaryReports("src/server/services/generation/example.ts", 'import { Orchestrator } from "~/server/services/brain/orchestrator";\nexport const o = Orchestrator;\n')).toEqual([]);
  });

  it("nothing under src/ may import tests/", async () => {
    expect(await boundaryReports("src/server/services/example.ts", 'import { settle } from "../../../tests/support/settle";\nexport const s = settle;\n')).toEqual([
      expect.stringMatching(/never imports tests/),
    ]);
  });

  it("npm run lint's config has the rule on for the app, the client and the lab", async () => {
    for (const file of ["src/server/services/projects.ts", "src/app/projects/[id]/generate/workspace/panels/ChatPanel.tsx", "src/server/lab/router.ts"]) {
      const config = (await eslint.calculateConfigForFile(path.join(root, file))) as { rules?: Record<string, unknown> };
      expect(config.rules?.["@typescript-eslint/no-restricted-imports"], file).toEqual([2, expect.objectContaining({ patterns: expect.any(Array) })]);
    }
  });
});
