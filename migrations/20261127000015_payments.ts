import type { Knex } from 'knex';

/**
 * J9's payments, in integer cents. A payment is one checkout at the provider for several fees; while it
 * is open it holds them (nobody else can start paying them), and once the provider says it is paid they
 * are paid by it, with a receipt. Every change is a row of payment_events, in the same transaction.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('payments', (t) => {
    t.bigIncrements('id');
    t.bigInteger('payer_user_id').references('users.id').onDelete('SET NULL');
    t.text('payer_name').notNullable();
    t.integer('amount_cents').notNullable();
    t.text('currency').notNullable().defaultTo('CAD');
    t.text('provider').notNullable();
    t.text('checkout_id').unique();
    t.text('provider_payment_id');
    t.text('status').notNullable().defaultTo('pending');
    // Given when paid: the receipt's number ("REC-2026-000001") and its PDF.
    t.text('receipt_number').unique();
    t.binary('receipt_pdf');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('settled_at', { useTz: true });
  });
  await knex.raw(
    `ALTER TABLE payments ADD CONSTRAINT payments_check CHECK (
       amount_cents > 0 AND currency = 'CAD'
       AND status IN ('pending', 'paid', 'declined', 'cancelled', 'expired')
       AND (status = 'paid') = (receipt_number IS NOT NULL))`,
  );
  await knex.raw(`CREATE INDEX payments_payer ON payments (payer_user_id, id DESC)`);
  await knex.schema.createTable('payment_fees', (t) => {
    t.bigInteger('payment_id').notNullable().references('payments.id').onDelete('CASCADE');
    t.bigInteger('fee_id').notNullable().references('fees.id').onDelete('CASCADE');
    t.integer('amount_cents').notNullable();
    t.primary(['payment_id', 'fee_id']);
  });
  await knex.raw(`CREATE INDEX payment_fees_fee ON payment_fees (fee_id)`);
  await knex.schema.alterTable('fees', (t) => {
    // The open checkout paying this fee (nobody else may start one meanwhile), then the payment that paid it.
    t.bigInteger('held_by_payment_id').references('payments.id').onDelete('SET NULL');
    t.bigInteger('paid_by_payment_id').references('payments.id').onDelete('RESTRICT');
  });
  await knex.raw(
    `ALTER TABLE fees ADD CONSTRAINT fees_paid_check CHECK ((status = 'paid') = (paid_by_payment_id IS NOT NULL))`,
  );
  await knex.schema.createTable('payment_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('payment_id').notNullable().references('payments.id').onDelete('CASCADE');
    t.text('event').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`CREATE INDEX payment_events_payment ON payment_events (payment_id, id)`);
  await knex.schema.createTable('receipt_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_value').notNullable();
  });
  // The development payment page's checkouts (absent in production): kept in the database, so a
  // restart or a second instance knows them.
  await knex.schema.createTable('dev_checkouts', (t) => {
    t.text('id').primary();
    t.text('reference').notNullable();
    t.integer('amount_cents').notNullable();
    t.text('currency').notNullable();
    t.text('description').notNullable();
    t.text('return_url').notNullable();
    t.text('status').notNullable().defaultTo('open');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dev_checkouts');
  await knex.schema.dropTable('receipt_counters');
  await knex.schema.dropTable('payment_events');
  await knex.raw('ALTER TABLE fees DROP CONSTRAINT fees_paid_check');
  await knex.schema.alterTable('fees', (t) => {
    t.dropColumn('paid_by_payment_id');
    t.dropColumn('held_by_payment_id');
  });
  await knex.schema.dropTable('payment_fees');
  await knex.schema.dropTable('payments');
}
