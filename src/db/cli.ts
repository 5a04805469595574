import { parseConfig } from '../config';
import { resolveDatabase } from './database-url';
import { createDb } from './knex';
import { migrateLatest, migrateRollbackAll, runSeeds } from './migrations';

/** `npm run migrate` (latest), `npm run migrate -- down` (roll everything back), `npm run seed`. */
async function main(): Promise<void> {
  const [command, direction] = process.argv.slice(2);
  const config = parseConfig();
  const database = await resolveDatabase(config.databaseUrl, {
    cluster: 'pg',
    database: 'portal',
    log: console.log,
  });
  const db = createDb(database.url);
  try {
    if (command === 'migrate' && direction === 'down') {
      await migrateRollbackAll(db, { sessionSecret: config.sessionSecret });
      console.log('All migrations rolled back');
    } else if (command === 'migrate') {
      const applied = await migrateLatest(db, { sessionSecret: config.sessionSecret });
      console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Already up to date');
    } else if (command === 'seed') {
      console.log(
        `Seeded: ${(await runSeeds(db, { sessionSecret: config.sessionSecret, baseUrl: config.baseUrl })).join(', ')}`,
      );
    } else {
      throw new Error(`Unknown command: ${command}`);
    }
  } finally {
    await db.destroy();
    await database.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
