import type { Db, Tx } from './knex';

/**
 * Queues a background job (graphile-worker) on this connection: in a transaction, the job exists only if
 * the transaction commits. Retried with back-off, up to 15 attempts; not before `runAt` when given.
 * Jobs of one `queueName` run one at a time (across every process), leaving the other slots free.
 */
export async function addJob(
  conn: Db | Tx,
  task: string,
  payload: unknown,
  options: { runAt?: Date; queueName?: string } = {},
): Promise<void> {
  await conn.raw(
    `SELECT graphile_worker.add_job(?, ?::json, queue_name => ?, run_at => ?::timestamptz, max_attempts => 15)`,
    [task, JSON.stringify(payload), options.queueName ?? null, options.runAt ?? null],
  );
}
