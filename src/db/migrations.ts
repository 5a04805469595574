import type { Knex } from 'knex';
import type { Db } from './knex';
import type { DataContext, SeedContext } from './context';
import { MIGRATIONS, SEEDS, type Migration } from './migration-list';

/**
 * Knex migrations written in TypeScript, listed in migration-list.ts in the order they apply; each is
 * handed the context (a migration that re-keys PIN hashes needs the secret).
 */
function migrationConfig(context: DataContext) {
  const migrationSource: Knex.MigrationSource<[string, Migration]> = {
    getMigrations: async () => MIGRATIONS,
    getMigrationName: ([name]) => name,
    getMigration: async ([, migration]) => ({
      up: (knex: Knex) => migration.up(knex, context),
      down: (knex: Knex) => migration.down(knex, context),
    }),
  };
  return { migrationSource, tableName: 'knex_migrations' };
}

export async function migrateLatest(db: Db, context: DataContext): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(migrationConfig(context))) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(db: Db, context: DataContext): Promise<void> {
  await db.migrate.rollback(migrationConfig(context), true);
}

/** Runs every seed in seeds/ in name order; each seed is idempotent so a restart re-runs them safely. */
export async function runSeeds(db: Db, context: SeedContext): Promise<string[]> {
  for (const [, seed] of SEEDS) await seed.seed(db, context);
  return SEEDS.map(([name]) => `${name}.ts`);
}
