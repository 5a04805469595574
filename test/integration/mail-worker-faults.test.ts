import { pino } from 'pino';
import { describe, expect, inject, it } from 'vitest';
import { parseConfig } from '../../src/config';
import { createDb } from '../../src/db/knex';
import { migrateLatest } from '../../src/db/migrations';
import { createSealer } from '../../src/crypto/sealing';
import { createMailQueue } from '../../src/mail/queue';
import { installJobQueue, startMailWorker } from '../../src/mail/worker';
import { buildRuntime, type Runtime } from '../../src/services';
import { MailSink } from '../../scripts/load/mail-sink';
import { testSessionSecret } from '../support/global-setup';
import { withScratchDatabase } from '../support/scratch-database';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A mail worker of its own on a scratch database (the suite's worker must not take these jobs), sending
 * to an SMTP server of its own.
 */
async function withWorker(
  work: (context: { runtime: Runtime; sink: MailSink; databaseName: string }) => Promise<void>,
) {
  await withScratchDatabase(async (url) => {
    const sink = new MailSink();
    await sink.start();
    const config = parseConfig({
      NODE_ENV: 'test',
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      SESSION_SECRET: testSessionSecret(),
    });
    const runtime = buildRuntime(config, url, pino({ level: 'silent' }));
    try {
      await migrateLatest(runtime.db, { sessionSecret: testSessionSecret() });
      await installJobQueue(runtime.sessionPool, runtime.logger);
      await work({ runtime, sink, databaseName: new URL(url).pathname.slice(1) });
    } finally {
      await runtime.close();
      await sink.stop();
    }
  });
}

async function queue(runtime: Runtime, addresses: string[]) {
  await runtime.db.transaction(async (tx) => {
    for (const to of addresses)
      await runtime.services.mail.enqueue(tx, { template: 'passwordChanged', to, lang: 'fr' });
  });
}

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) return;
    await sleep(100);
  }
}

describe('the mail worker through faults', () => {
  it('sends every email when the database cuts its connections while it works, and the process lives on', async () => {
    await withWorker(async ({ runtime, sink, databaseName }) => {
      const worker = await startMailWorker(
        { ...runtime, pgPool: runtime.sessionPool },
        { heartbeatMs: 300, staleAfterSeconds: 2 },
      );
      const admin = createDb(inject('databaseUrl'));
      try {
        const addresses = Array.from({ length: 100 }, (_, i) => `cut.${i}@example.test`);
        await queue(runtime, addresses);
        // As in a restart: the database ends every connection and refuses new ones for a moment, twice
        // while emails go out. Before the fix, a job that finished then was an unhandled rejection
        // (vitest fails on it; the portal exited).
        for (let outage = 0; outage < 2; outage++) {
          await sleep(200);
          await admin.raw(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS false`);
          await admin.raw(
            'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ? AND pid <> pg_backend_pid()',
            [databaseName],
          );
          await sleep(1500);
          await admin.raw(`ALTER DATABASE ${databaseName} ALLOW_CONNECTIONS true`);
        }
        const left = async () =>
          Number((await runtime.db.raw('SELECT count(*) AS n FROM graphile_worker.jobs')).rows[0].n);
        await until(async () => (await left()) === 0, 30_000);
        expect(await left()).toBe(0);
        expect(new Set(sink.delivered.map((m) => m.to))).toEqual(new Set(addresses));
        // A copy resent after a cut keeps its Message-ID: never two different messages for one email.
        const messages = new Set(sink.delivered.map((m) => m.messageId));
        expect(messages.size).toBe(addresses.length);
      } finally {
        await worker.stop();
        await admin.destroy();
      }
    });
  }, 60_000);

  it('drops, without a retry, an email whose link was sealed under an earlier SESSION_SECRET, and sends the rest', async () => {
    await withWorker(async ({ runtime, sink }) => {
      // Queued by a portal with the old secret: a reset link (sealed) and a notice without a link.
      const before = createMailQueue(
        createSealer('an earlier session secret, since replaced', 'queued-mail-secrets'),
        'http://portal.test',
      );
      await runtime.db.transaction(async (tx) => {
        await before.enqueue(tx, {
          template: 'passwordReset',
          to: 'sealed.before@example.test',
          lang: 'fr',
          link: { page: 'resetPassword', token: 'a-token-from-before' },
        });
        await before.enqueue(tx, {
          template: 'passwordChanged',
          to: 'plain.before@example.test',
          lang: 'fr',
        });
      });
      const logged: string[] = [];
      const worker = await startMailWorker({
        ...runtime,
        pgPool: runtime.sessionPool,
        logger: pino({ level: 'error' }, { write: (line: string) => void logged.push(line) }),
      });
      try {
        const left = async () =>
          Number((await runtime.db.raw('SELECT count(*) AS n FROM graphile_worker.jobs')).rows[0].n);
        await until(async () => (await left()) === 0 && logged.length > 0, 15_000);
        // Before the fix the reset email stayed in the queue, retried with back-off 25 times over days.
        expect(await left()).toBe(0);
        expect(sink.delivered.map((m) => m.to)).toEqual(['plain.before@example.test']);
        expect(logged.join('')).toContain('email dropped: sealed under another secret');
        expect(logged.join('')).not.toContain('a-token-from-before');
      } finally {
        await worker.stop();
      }
    });
  }, 30_000);

  it('frees, at start, the emails a worker killed in the middle had taken (not 4 hours later)', async () => {
    await withWorker(async ({ runtime, sink }) => {
      await queue(runtime, ['taken.by.dead.worker@example.test']);
      // What a SIGKILL leaves: the job locked by a pool that no longer says it is alive.
      await runtime.db.raw(
        `UPDATE graphile_worker._private_jobs SET locked_by = 'killed-pool', locked_at = now()`,
      );
      await runtime.db('mail_worker_pools').insert({
        id: 'killed-pool',
        seen_at: runtime.db.raw("now() - interval '1 minute'"),
      });
      const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });
      try {
        const mail = await sink.waitFor('taken.by.dead.worker@example.test', 'passwordChanged', 15_000);
        expect(mail?.subject).toBe('Votre mot de passe a été changé');
        expect(await runtime.db('mail_worker_pools').where({ id: 'killed-pool' }).first()).toBeUndefined();
      } finally {
        await worker.stop();
      }
    });
  }, 30_000);
});
