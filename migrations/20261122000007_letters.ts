import type { Knex } from 'knex';

export async function up(knex: Knex): Promise<void> {
  // PINs the city mails are sealed as well as hashed, so staff can print the letter again.
  await knex.schema.alterTable('client_records', (t) => t.text('pin_sealed'));
  await knex.schema.alterTable('companies', (t) => t.text('city_pin_sealed'));
  // The admin chart counts applications by status.
  await knex.raw('CREATE INDEX applications_status ON applications (status)');
  await knex.raw('CREATE INDEX withdrawal_requests_created ON withdrawal_requests (created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX withdrawal_requests_created');
  await knex.raw('DROP INDEX applications_status');
  await knex.schema.alterTable('companies', (t) => t.dropColumn('city_pin_sealed'));
  await knex.schema.alterTable('client_records', (t) => t.dropColumn('pin_sealed'));
}
