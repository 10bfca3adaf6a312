/**
 * Teeth for the explorer itself: a seeded bug that only a small fraction of the
 * interleavings expose. Request B "makes sure the settings row exists" with
 * `FOR UPDATE SKIP LOCKED` and recreates it with defaults when it finds nothing; it finds
 * nothing only while request A's transaction holds the row (between A's UPDATE and its
 * COMMIT), and then its upsert overwrites A's committed change. The explorer must find
 * it on every run; the same two requests started together with ordinary timing find it
 * rarely or never (both measured and printed).
 */
import { describe, expect, it, beforeAll, afterAll, inject } from "vitest";
import postgres from "postgres";

import { explore, formatReport, type ExploreOptions } from "race-kit";

const url = inject("databaseUrl");
// No prepared statements behind a transaction pooler (npm run test:pooler).
const prepare = process.env.DATABASE_POOLER !== "transaction";
const admin = postgres(url, { max: 2, prepare, onnotice: () => undefined });

beforeAll(async () => {
  await admin`create table if not exists explorer_settings (id int primary key, theme text not null)`;
  await admin`create table if not exists explorer_audit (id serial primary key, note text not null)`;
});
afterAll(async () => {
  await admin`drop table if exists explorer_settings, explorer_audit`;
  await admin.end();
});

type Sql = postgres.Sql;

async function saveDarkTheme(sql: Sql) {
  for (let read = 0; read < 8; read++) await sql`select theme from explorer_settings where id = 1`;
  await sql.begin(async (tx) => {
    await tx`insert into explorer_audit (note) values ('theme changed')`;
    await tx`update explorer_settings set theme = 'dark' where id = 1`;
  });
}

async function ensureSettingsRow(sql: Sql) {
  const found = await sql`select id from explorer_settings where id = 1 for update skip locked`;
  if (found.length === 0) {
    await sql`insert into explorer_settings (id, theme) values (1, 'light')
              on conflict (id) do update set theme = excluded.theme`;
  }
}

async function reset() {
  await admin`insert into explorer_settings (id, theme) values (1, 'light') on conflict (id) do update set theme = 'light'`;
}

async function darkThemeKept() {
  const [row] = await admin<{ theme: string }[]>`select theme from explorer_settings where id = 1`;
  return row?.theme === "dark";
}

const options: ExploreOptions<Sql, void> = {
  name: "seeded bug (skip-locked upsert)",
  databaseUrl: url,
  connect: async (laneUrl) => {
    const sql = postgres(laneUrl, { max: 1, prepare, onnotice: () => undefined });
    await sql`select 1`;
    return { db: sql, close: () => sql.end({ timeout: 1 }) };
  },
  setup: reset,
  requests: { A: saveDarkTheme, B: ensureSettingsRow },
  check: async (_context, { final }) => (final && !(await darkThemeKept()) ? ["A's committed theme change was overwritten"] : []),
};

describe("the explorer finds a bug that ordinary timing hides", () => {
  it("finds it in every one of 10 runs", async () => {
    const found: number[] = [];
    for (let run = 0; run < 10; run++) {
      const report = await explore(options);
      if (run === 0) console.log(formatReport(report));
      expect(report.complete).toBe(true);
      found.push(report.counts.broken);
    }
    console.log(`[explore] seeded bug: breaking interleavings per run ${found.join(", ")}`);
    expect(found.every((count) => count > 0)).toBe(true);
  }, 120_000);

  it("ordinary concurrent runs rarely or never hit it", async () => {
    const [a, b] = [postgres(url, { max: 1, prepare }), postgres(url, { max: 1, prepare })];
    const trials = 200;
    let lost = 0;
    for (let trial = 0; trial < trials; trial++) {
      await reset();
      await Promise.all([saveDarkTheme(a), ensureSettingsRow(b)]);
      if (!(await darkThemeKept())) lost++;
    }
    await Promise.all([a.end(), b.end()]);
    console.log(`[explore] seeded bug: ordinary timing lost the change in ${lost}/${trials} trials`);
    // How often depends on the machine's load; it is never every time, and usually none.
    expect(lost).toBeLessThan(trials / 2);
  }, 60_000);
});
