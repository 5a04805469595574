import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('withdrawal_requests', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.bigInteger('requested_by').references('users.id').onDelete('SET NULL');
    t.text('comment').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    // The application's status when asked, to go back to if the city refuses.
    t.text('previous_status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('decided_by').references('users.id').onDelete('SET NULL');
    t.timestamp('decided_at', { useTz: true });
    t.text('staff_comment');
    t.text('refund');
    t.integer('refund_cents');
    t.index(['application_id']);
  });
  await knex.raw(
    `ALTER TABLE withdrawal_requests ADD CONSTRAINT withdrawal_requests_status_check
       CHECK (status IN ('pending', 'approved', 'refused', 'cancelled'))`,
  );
  await knex.raw(
    `ALTER TABLE withdrawal_requests ADD CONSTRAINT withdrawal_requests_refund_check
       CHECK (refund IS NULL OR refund IN ('none', 'partial', 'full'))`,
  );
  // One pending request per application: a double click or a second tab cannot make two.
  await knex.raw(
    `CREATE UNIQUE INDEX withdrawal_requests_one_pending ON withdrawal_requests (application_id) WHERE status = 'pending'`,
  );
  // The staff queue: pending requests, oldest first.
  await knex.raw(
    `CREATE INDEX withdrawal_requests_queue ON withdrawal_requests (created_at) WHERE status = 'pending'`,
  );
  // Shown beside the status in every grid without a query per row.
  await knex.schema.alterTable('applications', (t) => {
    t.boolean('withdrawal_pending').notNullable().defaultTo(false);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => t.dropColumn('withdrawal_pending'));
  await knex.schema.dropTable('withdrawal_requests');
}
