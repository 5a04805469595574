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
import { startClamd } from '../../scripts/support/clamd';
import { S3_TEST_CREDENTIALS, startS3, TEST_BUCKET } from './s3';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseUrl: string;
    smtpUrl: string;
    mailDir: string;
    /** Where every test portal and the suite's worker keep documents and scan them. */
    documentsEnv: Record<string, string>;
    s3Endpoint: string;
  }
}

/**
 * One real PostgreSQL (DATABASE_URL, or the embedded one), migrated once; one real SMTP server; one mail
 * worker sending every queued email to it. Test files build their own app on this database.
 */
export default async function setup(project: TestProject) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const logger = pino({ level: 'warn' });
  const database = process.env.DATABASE_URL
    ? { url: process.env.DATABASE_URL, stop: async () => undefined }
    : await embeddedDatabaseProcess();
  const mailDir = mkdtempSync(join(tmpdir(), 'portal-mail-'));
  const sink = await startSmtpSink(mailDir);
  const smtpUrl = `smtp://127.0.0.1:${sink.port}`;
  // Documents in a real S3-protocol server, scanned by a real clamd: the worker scans what apps store.
  const [clamd, s3] = await Promise.all([startClamd(), startS3()]);
  const documentsEnv = {
    CLAMD_ADDRESS: clamd.address,
    S3_BUCKET: TEST_BUCKET,
    S3_ENDPOINT: s3.endpoint,
    ...S3_TEST_CREDENTIALS,
  };
  const config = parseConfig({
    NODE_ENV: 'test',
    SMTP_URL: smtpUrl,
    SESSION_SECRET: testSessionSecret(),
    ...documentsEnv,
  });
  const runtime = buildRuntime(config, database.url, logger);
  await migrateLatest(runtime.db, { sessionSecret: testSessionSecret() });
  // The suite's database outlives a run. Staff made by earlier runs would each be emailed about every
  // application nobody reviews yet (its notices go to all staff): hundreds of emails queued ahead of
  // the one a test waits for. They are retired; each test makes the staff it uses.
  await runtime.db('users').where({ role: 'staff', status: 'active' }).update({ status: 'pending' });
  await installJobQueue(runtime.sessionPool, logger);
  const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });

  project.provide('databaseUrl', database.url);
  project.provide('smtpUrl', smtpUrl);
  project.provide('mailDir', mailDir);
  project.provide('documentsEnv', documentsEnv);
  project.provide('s3Endpoint', s3.endpoint);

  return async () => {
    await worker.stop();
    await runtime.close();
    await sink.stop();
    await Promise.all([clamd.stop(), s3.stop()]);
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
