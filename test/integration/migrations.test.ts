import { describe, expect, it } from 'vitest';
import { withScratchDatabase } from '../support/scratch-database';
import { createDb } from '../../src/db/knex';
import { migrateLatest, migrateRollbackAll, runSeeds } from '../../src/db/migrations';
import { MIGRATIONS, SEEDS } from '../../src/db/migration-list';
import { STATUSES } from '../../src/domain/application-lifecycle';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/project-root';

const context = { sessionSecret: 'x'.repeat(40), baseUrl: 'http://localhost:3000' };

const tables = async (db: ReturnType<typeof createDb>) =>
  (await db.raw(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`)).rows.map(
    (r: { tablename: string }) => r.tablename,
  );

describe('migrations', () => {
  it('lists every file of migrations/ and seeds/, in name order (the bundle runs only what is listed)', () => {
    const names = (folder: string) =>
      readdirSync(join(projectRoot, folder))
        .filter((file) => file.endsWith('.ts'))
        .map((file) => file.replace(/\.ts$/, ''))
        .sort();
    expect(MIGRATIONS.map(([name]) => name)).toEqual(names('migrations'));
    expect(SEEDS.map(([name]) => name)).toEqual(names('seeds'));
  });

  it('apply, roll back completely with their downs, and apply again; seeds can run twice', async () => {
    await withScratchDatabase(async (url) => {
      const db = createDb(url);
      try {
        expect((await migrateLatest(db, context)).length).toBeGreaterThan(0);
        expect(await tables(db)).toEqual(
          expect.arrayContaining(['users', 'account_tokens', 'session', 'audit_events']),
        );
        await runSeeds(db, context);
        await runSeeds(db, context);
        expect(await db('companies').where({ legal_name: 'LMS Architects' })).toHaveLength(1);
        expect(await db('applications').where({ number: 'CON-2024-000409' })).toHaveLength(1);
        // The demo shows the whole lifecycle: an application in every status but a draft (a person makes one).
        const statuses = await db('applications').distinct('status').pluck('status');
        expect(statuses.sort()).toEqual(STATUSES.filter((s) => s !== 'draft').sort());
        expect(await db('users').where({ email: 'vivian.trainer@example.com' })).toHaveLength(1);
        await migrateRollbackAll(db, context);
        expect((await tables(db)).filter((t: string) => !t.startsWith('knex_'))).toEqual([]);
        expect((await migrateLatest(db, context)).length).toBeGreaterThan(0);
        expect(await migrateLatest(db, context)).toEqual([]);
      } finally {
        await db.destroy();
      }
    });
  });

  it('keeps one account per address whatever its case, at the database level', async () => {
    await withScratchDatabase(async (url) => {
      const db = createDb(url);
      try {
        await migrateLatest(db, context);
        const row = { password_hash: 'x', terms_accepted_at: db.fn.now() };
        await db('users').insert({ ...row, email: 'one@example.test' });
        await expect(db('users').insert({ ...row, email: 'one@example.test' })).rejects.toThrow(/unique/);
        await expect(db('users').insert({ ...row, email: 'One@example.test' })).rejects.toThrow(/check/);
      } finally {
        await db.destroy();
      }
    });
  });
});
