import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('users', (t) => {
    t.bigIncrements('id');
    t.text('email').notNullable();
    t.text('password_hash').notNullable();
    t.text('status').notNullable().defaultTo('pending');
    t.text('locale').notNullable().defaultTo('fr');
    t.integer('failed_signins').notNullable().defaultTo(0);
    t.timestamp('locked_until', { useTz: true });
    t.timestamp('password_changed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('activated_at', { useTz: true });
    t.timestamp('terms_accepted_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE users ADD CONSTRAINT users_status_check CHECK (status IN ('pending', 'active'))`,
  );
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_locale_check CHECK (locale IN ('fr', 'en'))`);
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_email_lowercase CHECK (email = lower(email))`);
  await knex.raw(`CREATE UNIQUE INDEX users_email_unique ON users (email)`);

  // Single-use links (activation, password reset, email change); only the SHA-256 of the token is kept.
  await knex.schema.createTable('account_tokens', (t) => {
    t.bigIncrements('id');
    t.bigInteger('user_id').notNullable().references('users.id').onDelete('CASCADE');
    t.text('purpose').notNullable();
    t.binary('token_hash').notNullable();
    t.text('new_email');
    t.timestamp('expires_at', { useTz: true }).notNullable();
    t.timestamp('used_at', { useTz: true });
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['token_hash']);
    t.index(['user_id', 'purpose']);
  });
  await knex.raw(
    `ALTER TABLE account_tokens ADD CONSTRAINT account_tokens_purpose_check
       CHECK (purpose IN ('activation', 'password_reset', 'email_change'))`,
  );

  // The express-session store (connect-pg-simple's layout), with the signed-in user indexed so that a
  // password change can end that user's other sessions.
  await knex.raw(`
    CREATE TABLE session (
      sid varchar NOT NULL PRIMARY KEY,
      sess json NOT NULL,
      expire timestamptz NOT NULL
    )`);
  await knex.raw(`CREATE INDEX session_expire_idx ON session (expire)`);
  await knex.raw(`CREATE INDEX session_user_idx ON session ((sess -> 'passport' ->> 'user'))`);

  // Security events and, later, staff actions: who, what, when, from where.
  await knex.schema.createTable('audit_events', (t) => {
    t.bigIncrements('id');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('event').notNullable();
    t.bigInteger('actor_user_id').references('users.id').onDelete('SET NULL');
    t.bigInteger('subject_user_id').references('users.id').onDelete('SET NULL');
    t.specificType('ip', 'inet');
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['occurred_at']);
    t.index(['event', 'occurred_at']);
    t.index(['subject_user_id', 'occurred_at']);
  });

  // Development only: where mails go when no SMTP server is configured, listed at /dev/mail.
  await knex.schema.createTable('dev_mailbox', (t) => {
    t.bigIncrements('id');
    t.text('to_address').notNullable();
    t.text('subject').notNullable();
    t.text('text_body').notNullable();
    t.text('html_body').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('dev_mailbox');
  await knex.schema.dropTable('audit_events');
  await knex.schema.dropTable('session');
  await knex.schema.dropTable('account_tokens');
  await knex.schema.dropTable('users');
}
