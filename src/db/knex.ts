import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// PostgreSQL bigint (int8) ids fit comfortably in a JS number for this portal's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
// A date column is a calendar day ('YYYY-MM-DD', as domain/business-days.ts writes it), never a moment:
// read as a Date it would land on the previous day west of Greenwich.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

export type Db = Knex;
export type Tx = Knex.Transaction;

export function createDb(connectionString: string, pool: { min?: number; max?: number } = {}): Db {
  return knexFactory({
    client: 'pg',
    connection: { connectionString, application_name: 'permit-portal' },
    pool: { min: pool.min ?? 0, max: pool.max ?? 10 },
    // A database that does not answer must not hold requests for a minute (knex's default).
    acquireConnectionTimeout: 5000,
  });
}

/** Whether the database answers (the readiness check). */
export async function ping(db: Db): Promise<void> {
  await db.raw('SELECT 1');
}

/** PostgreSQL's answers that mean "run the whole transaction again": deadlock, serialization failure. */
const RETRYABLE = new Set(['40P01', '40001']);
const ATTEMPTS = 3;

/**
 * Runs work in one transaction: everything it writes (including queued emails) commits or none does.
 *
 * Row locks are taken in one order everywhere, so two transactions never wait on each other:
 *   account token → user; company → its members; application → its withdrawal request;
  applications (in id order) → their fees (in id order) → the payment paying them.
 * Should PostgreSQL still report a deadlock or a serialization failure (another order slipped in, or
 * an index page), the transaction has been rolled back and is run again, up to three times in all: the
 * work must change nothing outside the database before it commits.
 */
export async function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await db.transaction(work);
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (attempt >= ATTEMPTS || !code || !RETRYABLE.has(code)) throw error;
    }
  }
}
