import type { Db, Tx } from './knex';

/**
 * Queues a background job (graphile-worker) on this connection: in a transaction, the job exists only if
 * the transaction commits. Retried with back-off, up to 15 attempts.
 */
export async function addJob(conn: Db | Tx, task: string, payload: unknown): Promise<void> {
  await conn.raw(`SELECT graphile_worker.add_job(?, ?::json, max_attempts => 15)`, [
    task,
    JSON.stringify(payload),
  ]);
}
