import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // The one-time registration for Building Code Services: the profile and the consent, with its time.
  await knex.schema.createTable('profiles', (t) => {
    t.bigInteger('user_id').primary().references('users.id').onDelete('CASCADE');
    t.text('title');
    t.text('first_name').notNullable();
    t.text('last_name').notNullable();
    t.text('unit');
    t.text('address1');
    t.text('address2');
    t.text('city');
    t.text('province');
    t.text('postal_code');
    t.text('country');
    t.text('phone').notNullable();
    t.text('phone_ext');
    t.text('phone2');
    t.text('phone2_ext');
    t.boolean('notify_withdrawal').notNullable().defaultTo(true);
    t.timestamp('consent_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`ALTER TABLE profiles ADD CONSTRAINT profiles_phone_check CHECK (phone ~ '^[0-9]{10}$')`);
  await knex.raw(
    `ALTER TABLE profiles ADD CONSTRAINT profiles_phone2_check CHECK (phone2 IS NULL OR phone2 ~ '^[0-9]{10}$')`,
  );
  await knex.raw(
    `ALTER TABLE profiles ADD CONSTRAINT profiles_postal_check
       CHECK (postal_code IS NULL OR postal_code ~ '^[A-Z][0-9][A-Z] [0-9][A-Z][0-9]$')`,
  );

  // Earlier client records of the city, each with a PIN mailed to the client. The PIN is kept only as
  // its SHA-256 and links one account, once.
  await knex.schema.createTable('client_records', (t) => {
    t.bigIncrements('id');
    t.text('name').notNullable();
    t.binary('pin_hash').notNullable().unique();
    t.bigInteger('linked_user_id').references('users.id').onDelete('SET NULL');
    t.timestamp('linked_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['linked_user_id']);
  });

  // Failed guesses of a PIN (client or company), to limit guessing per account and per address.
  await knex.schema.createTable('pin_failures', (t) => {
    t.bigIncrements('id');
    t.text('kind').notNullable();
    t.bigInteger('user_id').references('users.id').onDelete('CASCADE');
    t.specificType('ip', 'inet');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['kind', 'user_id', 'occurred_at']);
    t.index(['kind', 'ip', 'occurred_at']);
  });

  await knex.schema.createTable('applications', (t) => {
    t.bigIncrements('id');
    t.text('number').unique();
    t.text('permit_type').notNullable();
    t.text('status').notNullable();
    t.text('street_number').notNullable();
    t.text('street_name').notNullable();
    t.text('unit');
    t.text('postal_code');
    t.text('city').notNullable();
    t.text('description').notNullable();
    // Who applied: a person (their account), or an earlier client record of the city.
    t.bigInteger('applicant_user_id').references('users.id').onDelete('SET NULL');
    t.bigInteger('client_record_id').references('client_records.id').onDelete('SET NULL');
    t.text('applicant_name').notNullable();
    t.bigInteger('created_by').references('users.id').onDelete('SET NULL');
    t.timestamp('submitted_at', { useTz: true });
    t.timestamp('last_activity_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_status_check
       CHECK (status IN ('draft', 'submitted', 'in_review', 'payment_due', 'issued', 'withdrawn', 'closed'))`,
  );
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_number_check
       CHECK ((status = 'draft') = (number IS NULL) AND (number IS NULL OR number ~ '^CON-[0-9]{4}-[0-9]{6}$'))`,
  );
  // The Demandes tab: each viewer's applications by last activity, newest first, with or without a status.
  await knex.raw(
    `CREATE INDEX applications_applicant_activity ON applications (applicant_user_id, last_activity_at DESC, id DESC)`,
  );
  await knex.raw(
    `CREATE INDEX applications_client_record_activity ON applications (client_record_id, last_activity_at DESC, id DESC)
       WHERE client_record_id IS NOT NULL`,
  );
  await knex.raw(
    `CREATE INDEX applications_applicant_status ON applications (applicant_user_id, status, last_activity_at DESC)`,
  );

  // Gapless numbering per year: the counter row is locked by the submitting transaction, and a rollback
  // gives its number back (a SEQUENCE would leave holes).
  await knex.schema.createTable('application_counters', (t) => {
    t.integer('year').primary();
    t.integer('last_value').notNullable();
  });

  await knex.schema.createTable('application_events', (t) => {
    t.bigIncrements('id');
    t.bigInteger('application_id').notNullable().references('applications.id').onDelete('CASCADE');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.bigInteger('actor_user_id').references('users.id').onDelete('SET NULL');
    t.text('actor_name');
    t.text('event').notNullable();
    t.text('from_status');
    t.text('to_status');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['application_id', 'occurred_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('application_events');
  await knex.schema.dropTable('application_counters');
  await knex.schema.dropTable('applications');
  await knex.schema.dropTable('pin_failures');
  await knex.schema.dropTable('client_records');
  await knex.schema.dropTable('profiles');
}
