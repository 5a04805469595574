import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseConfig, type Config } from '../../config';
import { resolveDatabase } from '../../db/database-url';
import { migrateLatest } from '../../db/migrations';
import { buildRuntime, type Runtime } from '../../services';
import { PASSWORD_MAX, PASSWORD_MIN, isCommonPassword } from '../accounts/passwords';
import { findUserByEmail } from '../accounts/queries';

/**
 * npm run staff:create -- --email EMAIL --name "NAME"
 * The password comes from STAFF_PASSWORD, or is asked for when run in a terminal. Staff enrol their TOTP
 * second factor at their first sign-in on /fr/admin.
 *
 * npm run staff:create -- --email EMAIL --reset-second-factor
 * For a lost phone, or after SESSION_SECRET changed (the secrets sealed under the old one no longer open):
 * the staff member's next sign-in with their password opens the enrolment page again.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      email: { type: 'string' },
      name: { type: 'string' },
      'reset-second-factor': { type: 'boolean' },
    },
  });
  const { email, name } = values;
  if (email && values['reset-second-factor']) return resetSecondFactor(email);
  if (!email || !name)
    throw new Error(
      'Usage: npm run staff:create -- --email EMAIL --name "NAME"\n' +
        '       npm run staff:create -- --email EMAIL --reset-second-factor',
    );
  const password = process.env.STAFF_PASSWORD ?? (await askPassword());
  if (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || isCommonPassword(password)) {
    throw new Error(
      `The password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters and not be a common one.`,
    );
  }
  await withRuntime(async (runtime, config) => {
    if (await findUserByEmail(runtime.db, email)) throw new Error(`An account already uses ${email}.`);
    await runtime.services.staff.create(email, name, password);
    console.log(
      `Staff account created for ${email}. Sign in at ${config.baseUrl}/fr/admin to enrol the second factor.`,
    );
  });
}

async function resetSecondFactor(email: string): Promise<void> {
  await withRuntime(async (runtime, config) => {
    const user = await findUserByEmail(runtime.db, email);
    if (user?.role !== 'staff') throw new Error(`No staff account uses ${email}.`);
    await runtime.services.staff.resetSecondFactor(user.id);
    console.log(
      `Second factor reset for ${email}. Their next sign-in at ${config.baseUrl}/fr/admin enrols a new one.`,
    );
  });
}

/** The same database as npm start (DATABASE_URL, or the embedded one), migrated, for `work`. */
async function withRuntime(work: (runtime: Runtime, config: Config) => Promise<void>): Promise<void> {
  const config = parseConfig();
  const database = await resolveDatabase(config.databaseUrl, {
    cluster: 'pg',
    database: 'portal',
    log: console.log,
  });
  const runtime = buildRuntime(config, database.url, pino({ level: 'warn' }));
  try {
    await migrateLatest(runtime.db, { sessionSecret: config.sessionSecret });
    await work(runtime, config);
  } finally {
    await runtime.close();
    await database.embedded?.stop();
  }
}

async function askPassword(): Promise<string> {
  if (!process.stdin.isTTY)
    throw new Error('Set STAFF_PASSWORD, or run this in a terminal to be asked for it.');
  const prompt = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  // Typed characters are not echoed back.
  (prompt as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = () => undefined;
  process.stdout.write('Password: ');
  const answer = await prompt.question('');
  prompt.close();
  process.stdout.write('\n');
  return answer;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
