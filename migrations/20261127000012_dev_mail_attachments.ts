import type { Knex } from 'knex';

/** The development mailbox keeps an email's attachments (the permit's PDF), so /dev/mail can offer them. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dev_mailbox', (t) => {
    t.jsonb('attachments').notNullable().defaultTo('[]');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('dev_mailbox', (t) => t.dropColumn('attachments'));
}
