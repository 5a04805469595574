import type { Knex } from 'knex';

/**
 * Rate limits counted in PostgreSQL, so several portal instances on one database share the counts (a
 * visitor alternating between two instances had twice the tries). The shape is the one
 * rate-limiter-flexible's PostgreSQL store reads and writes (its key is `prefix:key`, points the hits,
 * expire the window's end in milliseconds); `key` is text rather than its varchar(255). The expiry index
 * serves the scheduled pruning of windows that have passed.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE rate_limits (
    key text PRIMARY KEY,
    points integer NOT NULL DEFAULT 0,
    expire bigint
  )`);
  await knex.raw('CREATE INDEX rate_limits_expire ON rate_limits (expire)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TABLE rate_limits');
}
