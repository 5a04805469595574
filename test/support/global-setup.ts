import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { parseConfig } from '../../src/config';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { migrateLatest } from '../../src/db/migrations';
import { installJobQueue, startMailWorker } from '../../src/mail/worker';
import { buildRuntime } from '../../src/services';
import { startSmtpSink } from './smtp-sink';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    smtpUrl: string;
    mailDir: string;
  }
}

/**
 * One real PostgreSQL (DATABASE_URL, or the embedded one), migrated once; one real SMTP server; one mail
 * worker sending every queued email to it. Test files build their own app on this database.
 */
export default async function setup(project: TestProject) {
  const logger = pino({ level: 'warn' });
  const database = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => undefined }
    : await embeddedDatabaseProcess();
  const mailDir = mkdtempSync(join(tmpdir(), 'portal-mail-'));
  const sink = await startSmtpSink(mailDir);
  const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  const config = parseConfig({ NODE_ENV: 'test', SMTP_URL: smtpUrl, SESSION_SECRET: testSessionSecret() });
  const runtime = buildRuntime(config, database.url, logger);
  await migrateLatest(runtime.db, { sessionSecret: testSessionSecret() });
  await installJobQueue(runtime.sessionPool, logger);
  const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });

  project.provide('databaseUrl', database.url);
  project.provide('smtpUrl', smtpUrl);
  project.provide('mailDir', mailDir);

  return async () => {
    await worker.stop();
    await runtime.close();
    await sink.stop();
    await database.stop();
    rmSync(mailDir, { recursive: true, force: true });
  };
}

/** Shared by the worker and the apps under test: mail secrets sealed by one are opened by the other. */
export function testSessionSecret(): string {
  return 'test-session-secret-that-is-long-enough-0123456789';
}

/** The embedded PostgreSQL in a child process (see src/db/embedded-process.ts for why). */
async function embeddedDatabaseProcess(): Promise<{ url: string; stop: () => Promise<void> }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/db/embedded-process.ts', 'pg-test', 'portal_test'],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the embedded PostgreSQL process ended (code ${code})`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('READY ')) resolve(line.slice(6));
    });
  });
  return {
    url,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
