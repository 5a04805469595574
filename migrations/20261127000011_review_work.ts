import type { Knex } from 'knex';

/**
 * J8's review work: who reviews an application and when its decision is due (the staff queue's order),
 * the deficiencies staff ask the applicant to answer, the messages between the two sides (and staff's
 * own notes), the permits issued, and which emails each person wants.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.bigInteger('reviewer_user_id').references('users.id').onDelete('SET NULL');
    // The review clock's date, kept by moveStatus; null while paused or when no decision is owed.
    t.date('decision_due_on');
  });
  // The staff review queue: applications awaiting a decision, the earliest due (so the latest) first.
  await knex.raw(
    `CREATE INDEX applications_review_queue ON applications (decision_due_on, id)
       WHERE status IN ('submitted', 'in_review')`,
  );
  // The queue's second list: applications waiting for the applicant's information, oldest request first.
  await knex.raw(
    `CREATE INDEX applications_waiting ON applications (last_activity_at, id)
       WHERE status = 'information_required'`,
  );

  await knex.schema.createTable('application_messages', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.bigInteger('author_user_id').references('users.id').onDelete('SET NULL');
    t.text('author_name').notNullable();
    t.text('side').notNullable();
    // A note only staff see: never shown to the applicant's side, never emailed to it.
    t.boolean('staff_only').notNullable().defaultTo(false);
    t.text('body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE application_messages ADD CONSTRAINT application_messages_side_check
       CHECK (side IN ('applicant', 'staff') AND (NOT staff_only OR side = 'staff'))`,
  );
  await knex.raw(`CREATE INDEX application_messages_thread ON application_messages (application_id, id)`);

  await knex.schema.createTable('deficiencies', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.text('text').notNullable();
    t.bigInteger('requested_by').references('users.id').onDelete('SET NULL');
    t.timestamp('requested_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    // The applicant's reply ("Répondre"), then staff's judgement that it is resolved.
    t.bigInteger('answer_message_id').references('application_messages.id').onDelete('SET NULL');
    t.timestamp('answered_at', { useTz: true });
    t.bigInteger('resolved_by').references('users.id').onDelete('SET NULL');
    t.timestamp('resolved_at', { useTz: true });
  });
  await knex.raw(`CREATE INDEX deficiencies_application ON deficiencies (application_id, id)`);
  // The applicant's required actions count the deficiencies still waiting for them.
  await knex.raw(
    `CREATE INDEX deficiencies_open ON deficiencies (application_id) WHERE answered_at IS NULL AND resolved_at IS NULL`,
  );

  await knex.schema.createTable('permits', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().unique().references('applications.id').onDelete('CASCADE');
    t.text('number').notNullable().unique();
    // Printed on the permit; with the number, it lets anyone check the permit on the public page.
    t.text('verification_code').notNullable();
    t.text('conditions').notNullable().defaultTo('');
    t.timestamp('issued_at', { useTz: true }).notNullable();
    t.bigInteger('issued_by').references('users.id').onDelete('SET NULL');
    t.text('issued_by_name').notNullable();
    t.binary('pdf').notNullable();
  });
  await knex.raw(
    `ALTER TABLE permits ADD CONSTRAINT permits_number_check CHECK (number ~ '^PC-[0-9]{4}-[0-9]{6}$')`,
  );
  await knex.schema.createTable('permit_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_value').notNullable();
  });

  await knex.schema.alterTable('users', (t) => {
    // The application events a person chose not to be emailed about; every event by default.
    t.specificType('email_opt_outs', 'text[]').notNullable().defaultTo('{}');
  });
  // The one notice "Mon profil" offered until now (the withdrawal confirmation) joins the others.
  await knex.raw(
    `UPDATE users SET email_opt_outs = '{withdrawal}'
       FROM profiles WHERE profiles.user_id = users.id AND NOT profiles.notify_withdrawal`,
  );
  await knex.schema.alterTable('profiles', (t) => t.dropColumn('notify_withdrawal'));
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('profiles', (t) => {
    t.boolean('notify_withdrawal').notNullable().defaultTo(true);
  });
  await knex.raw(
    `UPDATE profiles SET notify_withdrawal = false
       FROM users WHERE profiles.user_id = users.id AND 'withdrawal' = ANY(users.email_opt_outs)`,
  );
  await knex.schema.alterTable('users', (t) => t.dropColumn('email_opt_outs'));
  await knex.schema.dropTable('permit_counters');
  await knex.schema.dropTable('permits');
  await knex.schema.dropTable('deficiencies');
  await knex.schema.dropTable('application_messages');
  await knex.raw('DROP INDEX applications_waiting');
  await knex.raw('DROP INDEX applications_review_queue');
  await knex.schema.alterTable('applications', (t) => {
    t.dropColumn('decision_due_on');
    t.dropColumn('reviewer_user_id');
  });
}
