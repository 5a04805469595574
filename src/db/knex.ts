import knexFactory, { type Knex } from 'knex';
import pg from 'pg';

// PostgreSQL bigint (int8) ids fit comfortably in a JS number for this portal's volumes.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

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

/** Runs work in one transaction: everything it writes (including queued emails) commits or none does. */
export function inTransaction<T>(db: Db, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(work);
}
