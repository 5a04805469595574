import type { Knex } from 'knex';
import { hashPasswordOnce } from '../src/features/accounts/passwords';

/** Demo password of the seeded accounts (development only; documented in the README). */
export const DEMO_PASSWORD = 'Laurier-110-Demo';

/**
 * The people of the city's user guide. Vivian Trainer is the guide's applicant and the manager of LMS
 * Architects; later seeds add her profile, the company and application CON-2024-000409.
 */
export async function seed(knex: Knex): Promise<void> {
  const passwordHash = await hashPasswordOnce(DEMO_PASSWORD);
  await knex('users')
    .insert(
      [
        { email: 'vivian.trainer@example.com', locale: 'fr' },
        { email: 'jannee.training@example.com', locale: 'en' },
      ].map((user) => ({
        ...user,
        password_hash: passwordHash,
        status: 'active',
        activated_at: knex.fn.now(),
        terms_accepted_at: knex.fn.now(),
      })),
    )
    .onConflict('email')
    .ignore();
}
