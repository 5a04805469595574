import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createDb } from '../../src/db/knex';

/**
 * A throw-away database next to the suite's: for tests that roll migrations back or compare whole
 * tables, which the other test files, running at the same time, must not disturb.
 */
export async function createScratchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(inject('databaseUrl'));
  const name = `portal_scratch_${randomBytes(4).toString('hex')}`;
  const admin = createDb(base.toString());
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.destroy();
    },
  };
}

export async function withScratchDatabase(work: (url: string) => Promise<void>): Promise<void> {
  const scratch = await createScratchDatabase();
  try {
    await work(scratch.url);
  } finally {
    await scratch.drop();
  }
}
