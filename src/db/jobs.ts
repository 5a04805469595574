import type { Db, Tx } from './knex';

/**
 * Queues a background job (graphile-worker) on this connection: in a transaction, the job exists only if
 * the transaction commits. Retried with back-off, up to 15 attempts; not before `runAt` when given.
 */
export async function addJob(
  conn: Db | Tx,
  task: string,
  payload: unknown,
  options: { runAt?: Date } = {},
): Promise<void> {
  await conn.raw(`SELECT graphile_worker.add_job(?, ?::json, run_at => ?::timestamptz, max_attempts => 15)`, [
    task,
    JSON.stringify(payload),
    options.runAt ?? null,
  ]);
}
