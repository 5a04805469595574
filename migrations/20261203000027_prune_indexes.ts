import type { Knex } from 'knex';

/**
 * The scheduled pruning (src/db/prune.ts) finds what has expired by these columns: without them each run
 * would read the whole table of tokens and of wrong PINs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw('CREATE INDEX account_tokens_expires_at ON account_tokens (expires_at)');
  await knex.raw('CREATE INDEX pin_failures_occurred_at ON pin_failures (occurred_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX pin_failures_occurred_at');
  await knex.raw('DROP INDEX account_tokens_expires_at');
}
