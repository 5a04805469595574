import type { Knex } from 'knex';
import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';
import { likeContains, likePrefix } from '../../db/like';
import { ADDRESS_SEARCH_MIN, FOLDED_ADDRESS } from '../applications/queries';
import { normaliseEmail } from '../../domain/formatting';
import type { ApplicationStatus } from '../../domain/application-lifecycle';
import type { ApplicationRow } from '../applications/queries';

type Conn = Db | Tx;

/** An active staff account (never made by signing up). */
export async function insertStaff(
  db: Db,
  staff: { email: string; name: string; passwordHash: string },
): Promise<number> {
  const [row] = await db('users')
    .insert({
      email: normaliseEmail(staff.email),
      password_hash: staff.passwordHash,
      status: 'active',
      role: 'staff',
      display_name: staff.name,
      locale: 'fr',
      activated_at: db.fn.now(),
      terms_accepted_at: db.fn.now(),
    })
    .returning('id');
  return row.id;
}

export async function isEnrolled(db: Conn, userId: number): Promise<boolean> {
  return !!(await db('users').where({ id: userId }).whereNotNull('totp_enrolled_at').first('id'));
}

/**
 * Keeps this sealed secret only when none is kept yet, or in place of `unreadable` (a pending secret
 * nobody confirmed, sealed under an earlier SESSION_SECRET); then reads back the one kept, so two
 * requests at once agree on one.
 */
export async function keepFirstSecret(
  db: Db,
  userId: number,
  sealed: string,
  unreadable?: string,
): Promise<string> {
  await db('users')
    .where({ id: userId })
    .where((w) =>
      unreadable === undefined
        ? void w.whereNull('totp_sealed')
        : void w.where('totp_sealed', unreadable).whereNull('totp_enrolled_at'),
    )
    .update({ totp_sealed: sealed });
  return (await db('users').where({ id: userId }).first('totp_sealed')).totp_sealed;
}

export async function forgetSecondFactor(tx: Tx, userId: number): Promise<void> {
  await tx('users')
    .where({ id: userId })
    .update({ totp_sealed: null, totp_enrolled_at: null, totp_last_step: null });
}

export async function secondFactor(
  tx: Tx,
  userId: number,
): Promise<{ totp_sealed: string | null; totp_enrolled_at: Date | null } | undefined> {
  return tx('users').where({ id: userId }).first('totp_sealed', 'totp_enrolled_at');
}

/**
 * Takes this time step as used, and completes the enrolment at the first; false when the step (or a later
 * one) was used already, so each code works once.
 */
export async function useStep(
  tx: Tx,
  userId: number,
  step: number,
  enrolledAt: Date | null,
): Promise<boolean> {
  const updated = await tx('users')
    .where({ id: userId })
    .andWhere((w) => void w.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
    .update({ totp_last_step: step, totp_enrolled_at: enrolledAt ?? tx.fn.now() });
  return updated === 1;
}

/** Accounts by the start of their email address or of their name (each served by an index). */
export async function searchAccounts(db: Db, typed: string) {
  return db('users as u')
    .leftJoin('profiles as p', 'p.user_id', 'u.id')
    .whereRaw('u.email LIKE ?', [likePrefix(typed)])
    .orWhereRaw(`lower(p.first_name || ' ' || p.last_name) LIKE ?`, [likePrefix(typed)])
    .select('u.id', 'u.email', 'u.role', 'u.status', 'u.created_at', 'p.first_name', 'p.last_name')
    .orderBy('u.email')
    .limit(50);
}

/** Companies by the start of their legal name. */
export async function searchCompanies(db: Db, typed: string) {
  return db('companies')
    .whereRaw('lower(legal_name) LIKE ?', [likePrefix(typed)])
    .select('id', 'legal_name', 'phone')
    .orderBy('legal_name')
    .limit(50);
}

/**
 * Applications by file number, by the start of the applicant's name, or by any part of the address
 * ("elgin" finds "42 rue Elgin"; "montreal", "chemin de Montréal"), whatever the case and accents.
 * The latest 50, read in last-activity order (applications_activity) and stopped at the 50th match when
 * the term is common, or found through the indexes above and sorted when it is rare: PostgreSQL picks by
 * its estimate of how many match.
 */
export function searchApplications(
  db: Db,
  typed: string,
): Knex.QueryBuilder<ApplicationRow, ApplicationRow[]> {
  return db<ApplicationRow>('applications')
    .where('number', typed.toUpperCase())
    .orWhereRaw('lower(applicant_name) LIKE ?', [likePrefix(typed)])
    .modify((q) => {
      if (typed.length >= ADDRESS_SEARCH_MIN)
        void q.orWhereRaw(`${FOLDED_ADDRESS} LIKE portal_fold(?)`, [likeContains(typed)]);
    })
    .orderBy([
      { column: 'last_activity_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(50);
}

export async function applicationByNumber(db: Db, number: string): Promise<ApplicationRow | undefined> {
  return db('applications').where({ number }).first();
}

/** Applications by status, drafts excepted (the admin home's chart). */
export async function countByStatus(db: Db) {
  return db('applications')
    .whereNot('status', 'draft')
    .select('status')
    .count<{ status: ApplicationStatus; n: string }[]>('* as n')
    .groupBy('status');
}

/** Withdrawal requests per week over the last 8 weeks (the admin home's chart). */
export async function withdrawalRequestsByWeek(db: Db) {
  return db('withdrawal_requests')
    .where('created_at', '>=', db.raw(`date_trunc('week', now()) - interval '7 weeks'`))
    .select(db.raw(`date_trunc('week', created_at) AS week`))
    .count<{ week: Date; n: string }[]>('* as n')
    .groupByRaw('1');
}

/** A staff member's name as the pages show it (the reviewer of an application). */
export function staffName(db: Db, userId: number): Read<string | undefined> {
  return Read.of(
    db('users').where({ id: userId }).select('display_name', 'email').limit(1),
    ([row]: { display_name: string | null; email: string }[]) =>
      row ? (row.display_name ?? row.email) : undefined,
  );
}
