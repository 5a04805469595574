import type { Knex } from 'knex';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Db } from './knex';

const migrationsDir = join(import.meta.dirname, '..', '..', 'migrations');
const seedsDir = join(import.meta.dirname, '..', '..', 'seeds');

interface Migration {
  up: (knex: Knex) => Promise<void>;
  down: (knex: Knex) => Promise<void>;
}

/** Knex migrations written in TypeScript, loaded by file name order from migrations/. */
const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: async () =>
    readdirSync(migrationsDir)
      .filter((file) => /^\d{14}_[\w-]+\.ts$/.test(file))
      .sort(),
  getMigrationName: (file) => file.replace(/\.ts$/, ''),
  getMigration: async (file) => (await import(pathToFileURL(join(migrationsDir, file)).href)) as Migration,
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
  const files = readdirSync(seedsDir)
    .filter((file) => /^\d+_[\w-]+\.ts$/.test(file))
    .sort();
  for (const file of files) {
    const seed = (await import(pathToFileURL(join(seedsDir, file)).href)) as {
      seed: (knex: Knex, context: SeedContext) => Promise<void>;
    };
    await seed.seed(db, context);
  }
  return files;
}
