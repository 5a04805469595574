import type { Knex } from 'knex';

/**
 * "Enregistrer comme brouillon" keeps whatever was typed: a draft may lack its permit type, address or
 * description (what it has is still checked for format by the form). Only a submitted application must
 * be complete, and the database holds that too.
 */
const COMPLETE = ['permit_type', 'street_number', 'street_name', 'description'] as const;

export async function up(knex: Knex): Promise<void> {
  for (const column of COMPLETE)
    await knex.raw(`ALTER TABLE applications ALTER COLUMN ${column} DROP NOT NULL`);
  await knex.raw(
    `ALTER TABLE applications ADD CONSTRAINT applications_complete_unless_draft
       CHECK (status = 'draft' OR (${COMPLETE.map((c) => `${c} IS NOT NULL`).join(' AND ')}))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  // The earlier schema cannot hold an incomplete draft: such drafts (never submitted) are dropped.
  await knex.raw(
    `DELETE FROM applications WHERE status = 'draft' AND (${COMPLETE.map((c) => `${c} IS NULL`).join(' OR ')})`,
  );
  await knex.raw(`ALTER TABLE applications DROP CONSTRAINT applications_complete_unless_draft`);
  for (const column of COMPLETE)
    await knex.raw(`ALTER TABLE applications ALTER COLUMN ${column} SET NOT NULL`);
}
