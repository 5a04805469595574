import type { Knex } from 'knex';

/** The staff page of payments to look at: the few events that need a person, newest first. */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(
    `CREATE INDEX payment_events_attention ON payment_events (id DESC)
       WHERE event IN ('overpaid', 'mismatch', 'refund_failed')`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX payment_events_attention');
}
