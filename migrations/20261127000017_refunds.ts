import type { Knex } from 'knex';

/**
 * Refunds (J9): on an approved withdrawal, part of a payment given back through the provider. Written as
 * pending with the decision, in its transaction; done (or failed, for staff to see) once the provider
 * answered. What can still be refunded on a payment is what it paid less its refunds.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('refunds', (t) => {
    t.bigIncrements('id');
    t.bigInteger('payment_id').notNullable().references('payments.id').onDelete('RESTRICT');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.bigInteger('withdrawal_request_id').references('withdrawal_requests.id').onDelete('SET NULL');
    t.integer('amount_cents').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('provider_refund_id');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE refunds ADD CONSTRAINT refunds_check
       CHECK (amount_cents > 0 AND status IN ('pending', 'done', 'failed'))`,
  );
  await knex.raw(`CREATE INDEX refunds_payment ON refunds (payment_id)`);
  await knex.raw(`CREATE INDEX refunds_application ON refunds (application_id, id)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('refunds');
}
