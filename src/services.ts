import type { TaskList } from 'graphile-worker';
import type { Logger } from 'pino';
import { accountTasks } from './features/accounts/jobs';
import { accountsService } from './features/accounts/service';
import pg from 'pg';
import type { AppServices } from './app';
import type { Config } from './config';
import { createDb } from './db/knex';
import { createI18n } from './i18n/i18n';
import { createMailQueue } from './mail/queue';
import { createSealer } from './crypto/sealing';
import { devMailboxMailer, smtpMailer, type Mailer } from './mail/transport';

export interface Runtime extends AppServices {
  mailer: Mailer;
  /** The background tasks the worker runs beside sending emails. */
  tasks: TaskList;
  sealer: ReturnType<typeof createSealer>;
  close: () => Promise<void>;
}

/** Everything the portal and its mail worker need, connected to one database. */
export function buildRuntime(config: Config, databaseUrl: string, logger: Logger): Runtime {
  const db = createDb(databaseUrl);
  const sessionPool = new pg.Pool({
    connectionString: databaseUrl,
    max: 5,
    application_name: 'permit-portal-sessions',
    // Like knex's acquireConnectionTimeout: an unreachable database answers 503 in seconds, not never.
    connectionTimeoutMillis: 5000,
  });
  // An idle connection the database drops (restart, failover) must not crash the process.
  const lost = (error: Error & { code?: string }) =>
    logger.warn({ code: error.code, reason: error.message }, 'database connection lost');
  sessionPool.on('error', lost);
  sessionPool.on('connect', (client) => client.on('error', lost));
  const i18n = createI18n((lang, key) => logger.warn({ lang, key }, 'missing translation'));
  const sealer = createSealer(config.sessionSecret);
  const devMailbox = !config.smtpUrl;
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom) : devMailboxMailer(db);
  const mail = createMailQueue(sealer);
  return {
    config,
    db,
    sessionPool,
    i18n,
    logger,
    mail,
    tasks: accountTasks(accountsService({ db, mail, baseUrl: config.baseUrl })),
    devMailbox,
    mailer,
    sealer,
    async close() {
      await Promise.all([db.destroy(), sessionPool.end()]);
    },
  };
}
