import type { Knex } from 'knex';

/**
 * "Personne-ressource" (the guide: "les clients peuvent ajouter le nom de votre entreprise comme
 * personne-ressource dans leur demande"): an application may name a company as its contact, found by
 * the company's PIN. That company's members with Faire une demande then see and follow it. The index
 * serves their Demandes tab, newest first, like the company's own applications.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => {
    t.bigInteger('contact_company_id').references('companies.id').onDelete('SET NULL');
  });
  await knex.raw(
    `CREATE INDEX applications_contact_activity ON applications (contact_company_id, last_activity_at DESC, id DESC)
       WHERE contact_company_id IS NOT NULL`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('applications', (t) => t.dropColumn('contact_company_id'));
}
