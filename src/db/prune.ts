import type { Task } from 'graphile-worker';
import type pg from 'pg';

export const PRUNE_TASK = 'prune_expired';

/**
 * Every 15 minutes, in the job queue: its cron schedules each run once whichever instances are up (it
 * records the last run in the database), so no process keeps a timer of its own.
 */
export const PRUNE_CRONTAB = `*/15 * * * * ${PRUNE_TASK} ?max=3`;

/** Rows per DELETE: short statements, so pruning a backlog never holds locks for long. */
const BATCH = 5000;

/**
 * What each table keeps. Each rule is a condition on an indexed column; the margin past expiry keeps a
 * row while it can still explain something (an activation link "expired" rather than "unknown").
 */
const RULES: { table: string; key: string; expired: string }[] = [
  // Sessions past their idle expiry: express-session no longer reads them.
  { table: 'session', key: 'sid', expired: 'expire < now()' },
  // Rate-limit windows that have ended (expire is in milliseconds, rate-limiter-flexible's layout).
  { table: 'rate_limits', key: 'key', expired: 'expire < (extract(epoch FROM now()) * 1000)::bigint' },
  // Activation, reset and email-change links a week past their expiry.
  { table: 'account_tokens', key: 'id', expired: `expires_at < now() - interval '7 days'` },
  // Wrong PINs count for an hour (pins/attempts.ts); the audit log keeps the security trail.
  { table: 'pin_failures', key: 'id', expired: `occurred_at < now() - interval '1 day'` },
];

export interface Pruned {
  [table: string]: number;
}

/** Deletes what has expired, table by table, in batches; returns how many rows each lost. */
export async function pruneExpired(pool: pg.Pool): Promise<Pruned> {
  const pruned: Pruned = {};
  for (const { table, key, expired } of RULES) {
    pruned[table] = await inBatches(
      pool,
      `DELETE FROM ${table} WHERE ${key} IN (SELECT ${key} FROM ${table} WHERE ${expired} LIMIT ${BATCH})`,
    );
  }
  // Emails (and other jobs) that failed for good stay a month for whoever investigates, then go;
  // the queue deletes a job as soon as it succeeds.
  pruned.failed_jobs = await inBatches(
    pool,
    `SELECT 1 FROM graphile_worker.complete_jobs(ARRAY(
       SELECT id FROM graphile_worker.jobs
        WHERE attempts >= max_attempts AND locked_at IS NULL AND updated_at < now() - interval '30 days'
        LIMIT ${BATCH}))`,
  );
  return pruned;
}

async function inBatches(pool: pg.Pool, statement: string): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await pool.query(statement);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < BATCH) return total;
  }
}

export function pruneTask(pool: pg.Pool): Task {
  return async (_payload, helpers) => {
    const pruned = await pruneExpired(pool);
    helpers.logger.info(`pruned ${JSON.stringify(pruned)}`);
  };
}
