/**
 * The import boundaries docs/architecture.md promises, as lint rules (typescript-eslint's
 * no-restricted-imports, so `import type` of the router's type stays allowed):
 *
 * - client code (src/app outside its API routes, src/lib, the tRPC client) reaches the server
 *   through tRPC only, never `~/server/**`;
 * - the app never imports the Race Lab (src/server/lab, src/app/lab, src/lib/lab.ts); the lab
 *   plugs into the app from outside. One exception: src/server/api/root.ts mounts its router;
 * - the services (the domain) import nothing of the API layer or tRPC: they throw domain
 *   errors, which src/server/api/errors.ts maps;
 * - the brain (the model and its tools) does not import the generation flow that uses it;
 * - nothing under src/ imports tests/.
 *
 * Later blocks win where they overlap, so each block lists every restriction its files have.
 * tests/unit/boundaries.test.ts shows each one firing on a violating file.
 */
const noTests = { group: ["**/tests/**"], message: "src/ never imports tests/: test helpers stay under tests/." };
const noServer = {
  group: ["~/server", "~/server/**"],
  allowTypeImports: true,
  message: "Client code reaches the server through tRPC (~/trpc/react), never ~/server/** (type-only imports are fine).",
};
const noLab = {
  group: ["~/server/lab", "~/server/lab/**", "~/app/lab", "~/app/lab/**", "~/lib/lab"],
  message: "The app never imports the Race Lab: the lab plugs into the app from outside (docs/architecture.md).",
};

const noApi = {
  group: ["~/server/api", "~/server/api/**", "@trpc/*"],
  message: "Services know no transport: throw a domain error (~/server/services/errors); the API layer maps it.",
};

const noGeneration = {
  group: ["~/server/services/generation", "~/server/services/generation/**"],
  message: "The brain (model and tools) does not know the generation flow that calls it: the flow imports the brain, not the other way.",
};

const LAB = ["src/server/lab/**", "src/app/lab/**", "src/app/api/lab/**", "src/lib/lab.ts"];
const CLIENT = ["src/app/**", "src/lib/**", "src/trpc/react.tsx", "src/trpc/query-client.ts"];

const restrict = (...patterns) => ({
  "no-restricted-imports": "off",
  "@typescript-eslint/no-restricted-imports": ["error", { patterns }],
});

export const boundaries = [
  { name: "boundaries/src", files: ["src/**/*.{ts,tsx}"], rules: restrict(noTests) },
  {
    name: "boundaries/app",
    files: ["src/**/*.{ts,tsx}"],
    ignores: [...LAB, "src/server/api/root.ts"],
    rules: restrict(noLab, noTests),
  },
  { name: "boundaries/services", files: ["src/server/services/**/*.ts"], rules: restrict(noApi, noLab, noTests) },
  { name: "boundaries/brain", files: ["src/server/services/brain/**/*.ts"], rules: restrict(noGeneration, noApi, noLab, noTests) },
  {
    name: "boundaries/client",
    files: CLIENT.map((pattern) => (pattern.endsWith("**") ? `${pattern}/*.{ts,tsx}` : pattern)),
    ignores: ["src/app/api/**", ...LAB],
    rules: restrict(noServer, noLab, noTests),
  },
  {
    name: "boundaries/lab-client",
    files: ["src/app/lab/**/*.{ts,tsx}", "src/lib/lab.ts"],
    rules: restrict(noServer, noTests),
  },
];
