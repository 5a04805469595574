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
  const applied = await migrateLatest(runtime.db);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  await installJobQueue(runtime.sessionPool, logger);
  if (config.env === 'development') {
    await runSeeds(runtime.db, { sessionSecret: config.sessionSecret });
    logger.info('demo data seeded');
  }
  const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });
  const server = createApp(runtime).listen(config.port, () => {
    const where = runtime.devMailbox ? `; mails at ${config.baseUrl}/dev/mail` : '';
    console.log(`Permit portal on ${config.baseUrl} (mail: ${runtime.mailer.describe}${where})`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
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
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error('The portal could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
