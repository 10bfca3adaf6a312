/**
 * Who waits for a lock, and who holds it, with sessions named by `application_name`.
 *
 * Why by name and not by pid: behind a transaction pooler (PgBouncer, Supavisor) the pid a
 * client is given at startup is the pooler's invention, and each transaction may run on
 * another server connection. The pooler does set each server connection's
 * `application_name` to its current client's, so a unique name per session finds the
 * backend running that session's statement, straight to PostgreSQL or through a pooler.
 */
import type postgres from "postgres";

export interface LockHolder {
  /** The holder's `application_name` (empty when it set none). */
  applicationName: string;
  pid: number;
}

/**
 * For each of `applicationNames` whose statement waits for a lock right now: the sessions
 * holding it (pg_blocking_pids). Sessions not waiting are absent. Run it outside a
 * transaction: pg_stat_activity is a snapshot per transaction.
 */
export async function lockWaits(sql: postgres.Sql, applicationNames: readonly string[]): Promise<Map<string, LockHolder[]>> {
  const waits = new Map<string, LockHolder[]>();
  if (applicationNames.length === 0) return waits;
  const rows = await sql<{ waiter: string; holder: string | null; holderPid: number }[]>`
    select waiter.application_name as waiter, holder.application_name as holder, blocker.pid as "holderPid"
    from pg_stat_activity waiter
    cross join lateral unnest(pg_blocking_pids(waiter.pid)) as blocker(pid)
    left join pg_stat_activity holder on holder.pid = blocker.pid
    where waiter.application_name in ${sql(applicationNames)} and waiter.state = 'active'`;
  for (const row of rows) {
    const holders = waits.get(row.waiter) ?? [];
    holders.push({ applicationName: row.holder ?? "", pid: row.holderPid });
    waits.set(row.waiter, holders);
  }
  return waits;
}

/** Cancels the statements running under `applicationNames` (for a run that is stuck). */
export async function cancelStatements(sql: postgres.Sql, applicationNames: readonly string[]): Promise<void> {
  if (applicationNames.length === 0) return;
  await sql`
    select pg_cancel_backend(pid) from pg_stat_activity
    where application_name in ${sql(applicationNames)} and state = 'active'`;
}
