import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('users', (t) => {
    // City staff are created from the command line, never by signing up.
    t.text('role').notNullable().defaultTo('client');
    t.text('display_name');
    // The TOTP secret, sealed; the last time step used, so a code works once.
    t.text('totp_sealed');
    t.timestamp('totp_enrolled_at', { useTz: true });
    t.bigInteger('totp_last_step');
  });
  await knex.raw(`ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('client', 'staff'))`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('ALTER TABLE users DROP CONSTRAINT users_role_check');
  await knex.schema.alterTable('users', (t) => {
    t.dropColumn('totp_last_step');
    t.dropColumn('totp_enrolled_at');
    t.dropColumn('totp_sealed');
    t.dropColumn('display_name');
    t.dropColumn('role');
  });
}
