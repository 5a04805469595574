import type { Knex } from 'knex';

/**
 * A company's templates (J11, "Modèles"): saved application details its members with Faire une demande
 * start an application from; written by members with Gérer les modèles. A name is unique in its company,
 * whatever its case.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('application_templates', (t) => {
    t.bigIncrements('id');
    t.bigInteger('company_id').notNullable().references('companies.id').onDelete('CASCADE');
    t.text('name').notNullable();
    t.text('permit_type').notNullable();
    t.text('description').notNullable();
    t.text('notes').notNullable().defaultTo('');
    t.bigInteger('updated_by').references('users.id').onDelete('SET NULL');
    t.text('updated_by_name').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(
    `ALTER TABLE application_templates ADD CONSTRAINT application_templates_check CHECK (
       length(name) BETWEEN 1 AND 100 AND length(description) BETWEEN 1 AND 2000 AND length(notes) <= 2000)`,
  );
  // The company's list, by name; and the name taken once per company.
  await knex.raw(
    `CREATE UNIQUE INDEX application_templates_name ON application_templates (company_id, lower(name))`,
  );
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTable('application_templates');
}
