import type { Knex } from 'knex';
import type { Db } from './knex';
import { MIGRATIONS, SEEDS, type Migration } from './migration-list';

/** Knex migrations written in TypeScript, listed in migration-list.ts in the order they apply. */
const migrationSource: Knex.MigrationSource<[string, Migration]> = {
  getMigrations: async () => MIGRATIONS,
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};

const config = { migrationSource, tableName: 'knex_migrations' };

export async function migrateLatest(db: Db): Promise<string[]> {
  const [, applied] = (await db.migrate.latest(config)) as [number, string[]];
  return applied;
}

export async function migrateRollbackAll(db: Db): Promise<void> {
  await db.migrate.rollback(config, true);
}

/** What seeds may need from the configuration (company PINs are sealed with the session secret). */
export interface SeedContext {
  sessionSecret: string;
}

/** Runs every seed in seeds/ in name order; each seed is idempotent so a restart re-runs them safely. */
export async function runSeeds(db: Db, context: SeedContext): Promise<string[]> {
  for (const [, seed] of SEEDS) await seed.seed(db, context);
  return SEEDS.map(([name]) => `${name}.ts`);
}
