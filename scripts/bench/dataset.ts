import type { Db } from '../../src/db/knex';
import { hashPasswordOnce } from '../../src/features/accounts/passwords';
import { ALL_PERMISSIONS } from '../../src/domain/company-permissions';
import type { PinVault } from '../../src/crypto/pin-vault';
import type { Sealer } from '../../src/crypto/sealing';

export const BENCH_EMAIL = 'bench.manager@example.test';
export const BENCH_PASSWORD = 'benchmark passphrase for the portal';
/** A staff account, enrolled with this authenticator secret, for the staff pages. */
export const BENCH_STAFF_EMAIL = 'bench.staff@example.test';
export const BENCH_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

/**
 * The benchmark's data, built by PostgreSQL itself (generate_series, no row-by-row inserts): accounts,
 * applications (the bench user owns 5,000 of them, so a deep page exists), 2,000 companies of which the
 * first has 500 associated accounts.
 */
export async function buildDataset(
  db: Db,
  totals: { users: number; applications: number },
  pins: PinVault,
  totpSealer: Sealer,
): Promise<void> {
  const hash = await hashPasswordOnce(BENCH_PASSWORD);
  await db.raw(
    `INSERT INTO users (email, password_hash, status, role, display_name, locale, terms_accepted_at,
       activated_at, totp_sealed, totp_enrolled_at)
     VALUES (?, ?, 'active', 'staff', 'Bench Staff', 'fr', now(), now(), ?, now()) ON CONFLICT (email) DO NOTHING`,
    [BENCH_STAFF_EMAIL, hash, totpSealer.seal({ secret: BENCH_TOTP_SECRET })],
  );
  await db.raw(
    `INSERT INTO users (email, password_hash, status, locale, terms_accepted_at, activated_at)
     SELECT CASE WHEN g = 1 THEN ? ELSE 'bench.' || g || '@example.test' END, ?, 'active', 'fr', now(), now()
     FROM generate_series(1, ?) g ON CONFLICT (email) DO NOTHING`,
    [BENCH_EMAIL, hash, totals.users],
  );
  const first = (await db('users').where({ email: BENCH_EMAIL }).first('id')).id as number;
  await db.raw(
    `INSERT INTO profiles (user_id, first_name, last_name, phone, consent_at)
     SELECT id, 'Bench', 'User ' || id, '6135802400', now() FROM users WHERE email LIKE 'bench.%' ON CONFLICT DO NOTHING`,
  );
  const existing = Number((await db('applications').count('* as n').first())?.n ?? 0);
  const missing = totals.applications - existing;
  if (missing > 0) {
    // Ten streets (one in ten on rue Elgin: the clerks' address search finds 100,000 of a million);
    // 5,000 for the bench user, the rest spread over everyone; activity over the last two years. Those
    // awaiting a decision have the review clock's date (two to four weeks after submission: some late).
    // Applicants drawn from the accounts that exist (ids may have gaps), 5,000 for the bench user.
    await db.raw(
      `WITH people AS (SELECT array_agg(id ORDER BY id) AS ids FROM users WHERE email LIKE 'bench%')
       INSERT INTO applications (number, permit_type, status, street_number, street_name, city, description,
         applicant_user_id, applicant_name, submitted_at, last_activity_at, decision_due_on)
       SELECT 'CON-' || (2010 + (? + g) / 900000)::text || '-' || lpad(((? + g) % 900000 + 1)::text, 6, '0'),
              (ARRAY['house','addition','deck','pool_enclosure','demolition'])[1 + g % 5],
              (ARRAY['submitted','in_review','payment_due','issued','closed'])[1 + g % 5],
              (g % 900 + 1)::text,
              (ARRAY['rue Elgin', 'avenue Laurier Ouest', 'chemin de Montréal', 'promenade Sussex', 'rue Bank',
                     'boulevard Saint-Laurent', 'rue Somerset Ouest', 'avenue Carling', 'rue Rideau',
                     'chemin de l''Écluse'])[1 + g % 10],
              'Ottawa', 'Travaux',
              CASE WHEN ? + g <= 5000 THEN ? ELSE people.ids[1 + ((? + g)::bigint * 7919) % cardinality(people.ids)] END,
              'Bench User', now() - ((g % 700) || ' days')::interval, now() - ((g % 170) || ' days')::interval,
              CASE WHEN g % 5 IN (0, 1) THEN (now() - ((g % 700) || ' days')::interval)::date + 14 + g % 14 END
       FROM generate_series(1, ?) g, people`,
      [existing, existing, existing, first, existing, missing],
    );
  }
  const companies = Number((await db('companies').count('* as n').first())?.n ?? 0);
  if (companies === 0) {
    await db.raw(
      `INSERT INTO companies (legal_name, phone, pin_hash, pin_sealed, created_by)
       SELECT 'Bench Company ' || g, '6135802400', sha256(('bench-pin-' || g)::bytea), 'unused', ? FROM generate_series(1, 2000) g`,
      [first],
    );
    const big = (await db('companies').orderBy('id').first('id')).id as number;
    await db('companies')
      .where({ id: big })
      .update({ pin_hash: pins.hash('BEN-CHM-ARK'), pin_sealed: pins.seal('BEN-CHM-ARK') });
    await db('company_members').insert({ company_id: big, user_id: first, ...ALL_PERMISSIONS });
    await db.raw(
      `INSERT INTO company_members (company_id, user_id, can_submit)
       SELECT ?, id, id % 2 = 0 FROM users WHERE email LIKE 'bench.%' AND id <> ? ORDER BY id LIMIT 499`,
      [big, first],
    );
  }
  // Statistics for the planner, and the visibility map that lets counts read the indexes alone.
  await db.raw('VACUUM ANALYZE');
}
