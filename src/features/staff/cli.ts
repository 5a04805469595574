import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { parseConfig } from '../../config';
import { resolveDatabase } from '../../db/database-url';
import { migrateLatest } from '../../db/migrations';
import { buildRuntime } from '../../services';
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
  const reset = values['reset-second-factor'] === true;
  if (!values.email || (!values.name && !reset))
    throw new Error(
      'Usage: npm run staff:create -- --email EMAIL --name "NAME"\n' +
        '       npm run staff:create -- --email EMAIL --reset-second-factor',
    );
  const password = reset ? '' : (process.env.STAFF_PASSWORD ?? (await askPassword()));
  if (
    !reset &&
    (password.length < PASSWORD_MIN || password.length > PASSWORD_MAX || isCommonPassword(password))
  ) {
    throw new Error(
      `The password must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters and not be a common one.`,
    );
  }
  const config = parseConfig();
  const database = await resolveDatabase(config.databaseUrl, {
    cluster: 'pg',
    database: 'portal',
    log: console.log,
  });
  const runtime = buildRuntime(config, database.url, pino({ level: 'warn' }));
  try {
    await migrateLatest(runtime.db, { sessionSecret: config.sessionSecret });
    const existing = await findUserByEmail(runtime.db, values.email);
    if (reset) {
      if (existing?.role !== 'staff') throw new Error(`No staff account uses ${values.email}.`);
      await runtime.services.staff.resetSecondFactor(existing.id);
      console.log(
        `Second factor reset for ${values.email}. Their next sign-in at ${config.baseUrl}/fr/admin enrols a new one.`,
      );
      return;
    }
    if (existing) throw new Error(`An account already uses ${values.email}.`);
    await runtime.services.staff.create(values.email, values.name!, password);
    console.log(
      `Staff account created for ${values.email}. Sign in at ${config.baseUrl}/fr/admin to enrol the second factor.`,
    );
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
