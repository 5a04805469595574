import type { Db, Tx } from '../../db/knex';
import { normaliseEmail } from '../accounts/queries';

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

/** Keeps this sealed secret only when none is kept yet, then reads back the one kept. */
export async function keepFirstSecret(db: Db, userId: number, sealed: string): Promise<string> {
  await db('users').where({ id: userId }).whereNull('totp_sealed').update({ totp_sealed: sealed });
  return (await db('users').where({ id: userId }).first('totp_sealed')).totp_sealed;
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
