import cluster from 'node:cluster';
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import { createApp } from './app';
import { ConfigError, parseConfig, type Config } from './config';
import { resolveDatabase } from './db/database-url';
import { migrateLatest, runSeeds } from './db/migrations';
import { installJobQueue, startMailWorker } from './mail/worker';
import { buildRuntime, type Runtime } from './services';
import { superviseWorkers, tellSupervisor } from './supervisor';

function loadConfig(): Config {
  try {
    return parseConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
}

/**
 * `npm start`: the database (embedded when DATABASE_URL is unset), migrations, the job queue's tables and
 * demo data, once; then WEB_CONCURRENCY portal processes (one per core by default) on the one port, each
 * serving pages and running the background jobs. With one, this process serves.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  // A process the supervisor started: the database is ready, and its address is in DATABASE_URL.
  if (cluster.isWorker)
    return serve(config, buildRuntime(config, config.databaseUrl!, logger), logger, async () => undefined);

  const database = await resolveDatabase(config.databaseUrl, {
    cluster: 'pg',
    database: 'portal',
    log: (line) => logger.info(line),
  });
  const runtime = buildRuntime(config, database.url, logger);
  await prepareDatabase(config, runtime, logger);
  const stopDatabase = async () => {
    await database.embedded?.stop();
  };
  // One process: it serves with the runtime it prepared the database with.
  if (config.webConcurrency === 1) return serve(config, runtime, logger, stopDatabase);
  await runtime.close();
  superviseWorkers({
    count: config.webConcurrency,
    env: { DATABASE_URL: database.url },
    logger,
    onStopped: async (exitCode) => {
      await stopDatabase();
      process.exit(exitCode);
    },
  });
}

/** What every process needs done once before any serves. */
async function prepareDatabase(config: Config, runtime: Runtime, logger: Logger): Promise<void> {
  const applied = await migrateLatest(runtime.db, { sessionSecret: config.sessionSecret });
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await installJobQueue(runtime.sessionPool, logger);
  if (config.env === 'development') {
    await runSeeds(runtime.db, { sessionSecret: config.sessionSecret, baseUrl: config.baseUrl });
    logger.info('demo data seeded');
  }
}

/** One portal process: pages, and the mail worker beside them; stops in order on SIGINT or SIGTERM. */
async function serve(config: Config, runtime: Runtime, logger: Logger, afterStop: () => Promise<void>) {
  const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });
  // Express 5 calls this back with the error too when the server cannot listen (a port already taken).
  const server = createApp(runtime).listen(config.port, config.host, (error?: Error) => {
    if (error) return cannotListen(error as NodeJS.ErrnoException);
    const where = runtime.devMailbox ? `; mails at ${config.baseUrl}/dev/mail` : '';
    const { address, port } = server.address() as AddressInfo;
    const line = `Permit portal on ${config.baseUrl}, listening on ${address}:${port} (mail: ${runtime.mailer.describe}${where})`;
    if (!tellSupervisor({ kind: 'listening', line })) console.log(line);
  });

  let stopping = false;
  const stop = async (signal: string, exitCode = 0) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    // Finish the requests under way (at most 5 s) before closing the database pools they use.
    const closed = new Promise((resolve) => server.close(resolve));
    server.closeIdleConnections();
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 5000))]);
    server.closeAllConnections();
    await worker.stop().catch(() => undefined);
    await runtime.close();
    await afterStop();
    process.exit(exitCode);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  /** A port already taken (or not ours to bind): one line, then the same orderly stop as a signal. */
  function cannotListen(error: NodeJS.ErrnoException): void {
    const reason =
      error.code === 'EADDRINUSE'
        ? `port ${config.port} on ${config.host} is already in use`
        : error.code === 'EACCES'
          ? `no permission to listen on port ${config.port}`
          : error.message;
    const line = `${reason} (PORT and HOST choose another).`;
    if (!tellSupervisor({ kind: 'cannot-listen', reason: line }))
      console.error(`The portal could not start: ${line}`);
    void stop('cannot listen', 1);
  }
}

main().catch((error: unknown) => {
  console.error('The portal could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
