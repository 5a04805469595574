import { Logger as WorkerLogger, run, runMigrations, type Runner, type Task } from 'graphile-worker';
import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import type pg from 'pg';
import { renderEmail } from './render';
import { SEND_EMAIL_TASK, type EmailJob } from './queue';
import type { Sealer } from '../crypto/sealing';
import type { Mailer } from './transport';

export interface MailWorkerDeps {
  pgPool: pg.Pool;
  i18n: i18n;
  sealer: Sealer;
  mailer: Mailer;
  logger: Logger;
}

function workerLogger(logger: Logger): WorkerLogger {
  return new WorkerLogger(() => (level, message) => {
    if (level === 'error') logger.error(message);
    else if (level === 'warning') logger.warn(message);
    else logger.debug(message);
  });
}

/** The job queue's own tables (schema graphile_worker); run at start-up, after our migrations. */
export async function installJobQueue(pgPool: pg.Pool, logger: Logger): Promise<void> {
  await runMigrations({ pgPool, logger: workerLogger(logger) });
}

export function sendEmailTask(deps: Omit<MailWorkerDeps, 'pgPool'>): Task {
  return async (payload) => {
    const job = payload as EmailJob;
    const secrets = job.sealed ? deps.sealer.open(job.sealed) : {};
    const email = await renderEmail(deps.i18n, job, secrets);
    // A failure throws: the queue retries with exponential back-off, so an SMTP outage loses nothing.
    await deps.mailer.send(email);
    deps.logger.info({ template: job.template, lang: job.lang }, 'email sent');
  };
}

/** Sends queued emails in the background, two at a time. */
export function startMailWorker(deps: MailWorkerDeps): Promise<Runner> {
  return run({
    pgPool: deps.pgPool,
    concurrency: 2,
    noHandleSignals: true,
    pollInterval: 1000,
    logger: workerLogger(deps.logger),
    taskList: { [SEND_EMAIL_TASK]: sendEmailTask(deps) },
  });
}
