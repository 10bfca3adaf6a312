/**
 * The worked example of docs/testing-races.md, on code that is not this app: two $60
 * withdrawals from a $100 account. "Check the balance, then withdraw" overdraws in some
 * interleavings; deciding from the row locked with FOR UPDATE never does.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import postgres from "postgres";

import { explore, formatReport, type ExploreOptions } from "race-kit";

type Sql = postgres.Sql;
const url = inject("databaseUrl");
// Behind a transaction pooler (npm run test:pooler) each transaction may run on another
// server connection, so a statement prepared on one is unknown on the next.
const prepare = process.env.DATABASE_POOLER !== "transaction";
const admin = postgres(url, { max: 1, prepare, onnotice: () => undefined });

beforeAll(async () => {
  await admin`create table if not exists bank_accounts (id int primary key, balance int not null)`;
  await admin`create table if not exists bank_withdrawals (id serial primary key, account_id int not null, amount int not null)`;
});
afterAll(async () => {
  await admin`drop table if exists bank_accounts, bank_withdrawals`;
  await admin.end();
});

// ❌ Reads the balance, decides, then writes: two requests can both pass the check.
async function withdrawUnlocked(sql: Sql, amount: number) {
  const [account] = await sql<{ balance: number }[]>`select balance from bank_accounts where id = 1`;
  if (!account || account.balance < amount) return "declined";
  await sql.begin(async (tx) => {
    await tx`update bank_accounts set balance = balance - ${amount} where id = 1`;
    await tx`insert into bank_withdrawals (account_id, amount) values (1, ${amount})`;
  });
  return "paid";
}

// ✅ Decides from the row it holds locked until the writes commit.
async function withdrawLocked(sql: Sql, amount: number) {
  return sql.begin(async (tx) => {
    const [account] = await tx<{ balance: number }[]>`select balance from bank_accounts where id = 1 for update`;
    if (!account || account.balance < amount) return "declined";
    await tx`update bank_accounts set balance = balance - ${amount} where id = 1`;
    await tx`insert into bank_withdrawals (account_id, amount) values (1, ${amount})`;
    return "paid";
  });
}

function twoWithdrawals(withdraw: (sql: Sql, amount: number) => Promise<string>): ExploreOptions<Sql, void> {
  return {
    name: `bank · ${withdraw.name}`,
    databaseUrl: url,
    connect: async (laneUrl) => {
      const sql = postgres(laneUrl, { max: 1, prepare, onnotice: () => undefined });
      await sql`select 1`;
      return { db: sql, close: () => sql.end({ timeout: 1 }) };
    },
    setup: async () => {
      await admin`truncate bank_withdrawals`;
      await admin`insert into bank_accounts values (1, 100) on conflict (id) do update set balance = 100`;
    },
    requests: { A: (sql) => withdraw(sql, 60), B: (sql) => withdraw(sql, 60) },
    check: async () => {
      const [row] = await admin<{ balance: number; paid: number }[]>`
        select balance, (select coalesce(sum(amount), 0)::int from bank_withdrawals) as paid
        from bank_accounts where id = 1`;
      const violations = [];
      if (!row || row.balance < 0) violations.push(`overdrawn: the balance is ${row?.balance}`);
      if (row && row.balance + row.paid !== 100) violations.push(`money appeared or vanished: ${row.balance} + ${row.paid} paid ≠ 100`);
      return violations;
    },
  };
}

describe("the bank account example", () => {
  it("check-then-withdraw overdraws in some interleavings", async () => {
    const report = await explore(twoWithdrawals(withdrawUnlocked));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBeGreaterThan(0);
  }, 60_000);

  it("the locked withdrawal never does", async () => {
    const report = await explore(twoWithdrawals(withdrawLocked));
    console.log(formatReport(report));
    expect(report.complete).toBe(true);
    expect(report.counts.broken).toBe(0);
    expect(report.counts.blocked).toBeGreaterThan(0);
  }, 60_000);
});
