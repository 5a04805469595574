import type { Knex } from 'knex';

/**
 * The staff accounts, read when a message reaches an application no reviewer has taken yet: a handful
 * among every account, found without reading them all.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE INDEX users_active_staff ON users (id) WHERE role = 'staff' AND status = 'active'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP INDEX users_active_staff');
}
