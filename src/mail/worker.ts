import { EventEmitter } from 'node:events';
import {
  Logger as WorkerLogger,
  run,
  runMigrations,
  type Runner,
  type Task,
  type TaskList,
  type WorkerEvents,
} from 'graphile-worker';
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
  /** Other background work of the portal, run by the same worker (see services.ts). */
  tasks?: TaskList;
  /** Recurring jobs (graphile-worker's crontab format), scheduled once whichever processes run. */
  crontab?: string;
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
    if (!secrets) {
      // Sealed under an earlier SESSION_SECRET: its link cannot be read back, and a retry never will. The
      // job ends here, said in the log; the person asks for the link again (every such page offers it).
      deps.logger.error(
        { template: job.template, lang: job.lang },
        'email dropped: sealed under another secret',
      );
      return;
    }
    const email = await renderEmail(deps.i18n, job, secrets);
    // A failure throws: the queue retries with exponential back-off, so an SMTP outage loses nothing.
    await deps.mailer.send(email);
    deps.logger.info({ template: job.template, lang: job.lang }, 'email sent');
  };
}

/** How often a worker pool says it is alive, and after how long without news its jobs are freed. */
const HEARTBEAT_MS = 10_000;
const STALE_AFTER_SECONDS = 30;
const RESTART_DELAY_MS = 1000;

export interface MailWorker {
  stop: () => Promise<void>;
}

/**
 * Sends queued emails in the background, two at a time, through database outages and crashes:
 * - completions and failures are recorded in batches, so a lost connection stops the worker pool instead
 *   of surfacing as an unhandled rejection that would end the whole process (the library's per-job path
 *   does not catch it); a pool that starts shutting down by itself is replaced at once;
 * - each pool says it is alive every 10 s in mail_worker_pools, and any process frees the jobs of a pool
 *   silent for 30 s (killed or cut off), which the library alone would only retry after 4 hours.
 * A job freed while its email had in fact been sent is sent again, with the same Message-ID.
 */
export async function startMailWorker(
  deps: MailWorkerDeps,
  // Shorter in tests, which cannot wait half a minute.
  { heartbeatMs = HEARTBEAT_MS, staleAfterSeconds = STALE_AFTER_SECONDS } = {},
): Promise<MailWorker> {
  const { pgPool, logger } = deps;
  let runner: Runner | undefined;
  let poolId: string | undefined;
  let stopping = false;

  const launch = async (): Promise<void> => {
    const events = new EventEmitter() as WorkerEvents;
    let replaced = false;
    const replace = (reason: string) => {
      if (replaced) return;
      replaced = true;
      void relaunch(reason);
    };
    events.on('pool:create', ({ workerPool }) => {
      poolId = workerPool.id;
    });
    // Replaced as soon as it starts shutting down by itself: its shutdown can wait a long time on a
    // database that is away. Its jobs are freed by the sweep once its heartbeat stops.
    events.on('pool:gracefulShutdown', ({ message }) => replace(message));
    const started = await run({
      pgPool,
      concurrency: 2,
      noHandleSignals: true,
      pollInterval: 1000,
      events,
      logger: workerLogger(logger),
      preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
      taskList: { ...deps.tasks, [SEND_EMAIL_TASK]: sendEmailTask(deps) },
      crontab: deps.crontab ?? '',
    });
    runner = started;
    void beat();
    started.promise.then(
      () => replace('stopped'),
      (error: unknown) => replace(String(error)),
    );
  };

  const relaunch = async (reason: string): Promise<void> => {
    if (stopping) return;
    logger.warn({ reason }, 'mail worker stopped; starting another');
    // The old pool's heartbeat stops here; the sweep frees its jobs 30 s later.
    poolId = undefined;
    for (;;) {
      await sleep(RESTART_DELAY_MS);
      if (stopping) return;
      try {
        await launch();
        return;
      } catch (error) {
        logger.warn({ reason: String(error) }, 'mail worker could not start yet');
      }
    }
  };

  // Heartbeat, and the sweep of pools that went silent (this process's own earlier life included).
  const beat = async () => {
    try {
      if (poolId)
        await pgPool.query(
          `INSERT INTO mail_worker_pools (id) VALUES ($1) ON CONFLICT (id) DO UPDATE SET seen_at = now()`,
          [poolId],
        );
      const { rows } = await pgPool.query<{ id: string }>(
        `SELECT id FROM mail_worker_pools WHERE seen_at < now() - make_interval(secs => $1)`,
        [staleAfterSeconds],
      );
      if (rows.length) {
        await freeJobsOf(
          pgPool,
          rows.map((r) => r.id),
        );
        logger.warn({ pools: rows.length }, 'freed the emails of mail workers that stopped answering');
      }
    } catch (error) {
      logger.debug({ reason: String(error) }, 'mail worker heartbeat failed');
    }
  };
  await launch();
  const heartbeat = setInterval(() => void beat(), heartbeatMs);
  heartbeat.unref();

  return {
    async stop() {
      stopping = true;
      clearInterval(heartbeat);
      await runner?.stop().catch(() => undefined);
      if (poolId)
        await pgPool.query('DELETE FROM mail_worker_pools WHERE id = $1', [poolId]).catch(() => undefined);
    },
  };
}

/** Puts the jobs these pools had taken back in the queue, and forgets the pools. */
async function freeJobsOf(pgPool: pg.Pool, ids: string[]): Promise<void> {
  await pgPool.query('SELECT graphile_worker.force_unlock_workers($1::text[])', [ids]);
  await pgPool.query('DELETE FROM mail_worker_pools WHERE id = ANY($1::text[])', [ids]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
