import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { Db } from './knex';

/** A statement's name from its text: the same text always has the same name, another text another name. */
function nameOf(sql: string): string {
  return `q_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
}

/**
 * Runs a query built with knex as a named prepared statement: PostgreSQL parses and plans it once per
 * connection instead of on every request. For the queries every page runs (the Demandes list planned in
 * about 0.25 ms and ran in 0.45 ms). The text must not vary with the values (`= ANY(?)`, not `IN (?, ?)`),
 * or each variant becomes a statement of its own. Outside transactions only (it takes its own connection).
 */
export async function prepared<T>(db: Db, query: Knex.QueryBuilder | Knex.Raw): Promise<T[]> {
  const { sql, bindings } = query.toSQL().toNative();
  const connection = (await db.client.acquireConnection()) as pg.PoolClient;
  try {
    const result = await connection.query<T & pg.QueryResultRow>({
      name: nameOf(sql),
      text: sql,
      values: bindings as unknown[],
    });
    return result.rows;
  } finally {
    await db.client.releaseConnection(connection);
  }
}
