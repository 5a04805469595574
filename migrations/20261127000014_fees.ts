import type { Knex } from 'knex';

/**
 * J9's fees: the fee table (one row per change, never updated: the rate in force on a day is the latest
 * that took effect by then, and the history stays), the floor area the table needs, and each fee staff
 * assess on an application, in integer cents.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.decimal('floor_area_m2', 8, 2);
  });
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_floor_area_check CHECK (floor_area_m2 > 0)`,
  );
  await knex.schema.createTable('fee_schedules', (t) => {
    t.bigIncrements('id');
    t.text('permit_type').notNullable();
    t.integer('rate_cents_per_m2').notNullable();
    t.integer('flat_cents').notNullable();
    t.integer('minimum_cents').notNullable();
    t.date('effective_from').notNullable();
    t.text('reason').notNullable();
    t.bigInteger('created_by').references('users.id').onDelete('SET NULL');
    t.text('created_by_name').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE fee_schedules ADD CONSTRAINT fee_schedules_amounts_check
       CHECK (rate_cents_per_m2 >= 0 AND flat_cents >= 0 AND minimum_cents >= 0)`,
  );
  await knex.raw(
    `CREATE INDEX fee_schedules_in_force ON fee_schedules (permit_type, effective_from DESC, id DESC)`,
  );
  await knex.schema.createTable('fees', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.text('kind').notNullable().defaultTo('permit');
    t.integer('amount_cents').notNullable();
    // What the fee table suggested (null without a rate or a floor area), and why staff changed it.
    t.integer('suggested_cents');
    t.bigInteger('schedule_id').references('fee_schedules.id').onDelete('SET NULL');
    t.text('reason').notNullable().defaultTo('');
    t.text('status').notNullable().defaultTo('due');
    t.bigInteger('assessed_by').references('users.id').onDelete('SET NULL');
    t.timestamp('assessed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE fees ADD CONSTRAINT fees_check
       CHECK (amount_cents > 0 AND status IN ('due', 'paid', 'cancelled'))`,
  );
  await knex.raw(`CREATE INDEX fees_application ON fees (application_id, id)`);
  // "Frais impayés" on every signed-in page: the payable applications of a person, each by its index.
  await knex.raw(
    `CREATE INDEX applications_company_payment_due ON applications (company_id) WHERE status = 'payment_due'`,
  );
  await knex.raw(
    `CREATE INDEX applications_record_payment_due ON applications (client_record_id) WHERE status = 'payment_due'`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX applications_record_payment_due');
  await knex.raw('DROP INDEX applications_company_payment_due');
  await knex.schema.dropTable('fees');
  await knex.schema.dropTable('fee_schedules');
  await knex.schema.alterTable('applications', (t) => t.dropColumn('floor_area_m2'));
}
