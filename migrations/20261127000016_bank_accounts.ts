import type { Knex } from 'knex';

/**
 * "Informations bancaires": a company's bank account for refunds, sealed (AES-256-GCM under a key of its
 * own, crypto/sealing.ts): a copy of the database alone does not give the account number.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.text('bank_sealed');
    t.timestamp('bank_changed_at', { useTz: true });
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('companies', (t) => {
    t.dropColumn('bank_changed_at');
    t.dropColumn('bank_sealed');
  });
}
