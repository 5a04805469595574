import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { createApp } from './app';
import { ConfigError, parseConfig, type Config } from './config';
import { resolveDatabase } from './db/database-url';
import { migrateLatest, runSeeds } from './db/migrations';
import { installJobQueue, startMailWorker } from './mail/worker';
import { buildRuntime } from './services';

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

/** `npm start`: the database (embedded when DATABASE_URL is unset), migrations, demo data, mail worker, web. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = pino({ level: config.logLevel });
  const database = await resolveDatabase(config.databaseUrl, {
    cluster: 'pg',
    database: 'portal',
    log: (line) => logger.info(line),
  });
  const runtime = buildRuntime(config, database.url, logger);
  const applied = await migrateLatest(runtime.db, { sessionSecret: config.sessionSecret });
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await installJobQueue(runtime.sessionPool, logger);
  if (config.env === 'development') {
    await runSeeds(runtime.db, { sessionSecret: config.sessionSecret, baseUrl: config.baseUrl });
    logger.info('demo data seeded');
  }
  const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });
  // Express 5 calls this back with the error too when the server cannot listen (a port already taken).
  const server = createApp(runtime).listen(config.port, config.host, (error?: Error) => {
    if (error) return cannotListen(error as NodeJS.ErrnoException);
    const where = runtime.devMailbox ? `; mails at ${config.baseUrl}/dev/mail` : '';
    const { address, port } = server.address() as AddressInfo;
    console.log(
      `Permit portal on ${config.baseUrl}, listening on ${address}:${port} (mail: ${runtime.mailer.describe}${where})`,
    );
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
    await database.embedded?.stop();
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
    console.error(`The portal could not start: ${reason} (PORT and HOST choose another).`);
    void stop('cannot listen', 1);
  }
}

main().catch((error: unknown) => {
  console.error('The portal could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
