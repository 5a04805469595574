import { unpaidCountSql } from '../fees/queries';
import type { Db, Tx } from '../../db/knex';
import { normaliseEmail } from '../../domain/formatting';
import type { Lang } from '../../i18n/i18n';
import type { Viewer } from '../applications/queries';
import type { ProfileRow } from '../registration/queries';

type Conn = Db | Tx;

export interface UserRow {
  id: number;
  email: string;
  password_hash: string;
  status: 'pending' | 'active';
  locale: Lang;
  failed_signins: number;
  locked_until: Date | null;
  password_changed_at: Date;
  role: Role;
}

export type Role = 'client' | 'staff';

/** What a signed-in request knows of its user. */
export interface SessionUser {
  id: number;
  email: string;
  locale: Lang;
  role: Role;
  /** Staff only: the name shown in histories and the audit log. */
  display_name?: string | null;
  /**
   * Read with the session, in the same query (web/session-user.ts), so a page does not ask again: the
   * registration (null: not registered) and what gives sight of applications. Absent when the account
   * was read some other way; the pages then ask the database.
   */
  profile?: ProfileRow | null;
  viewer?: Viewer;
  /** "Frais impayés": how many fees this person may pay (features/fees/queries.ts says which). */
  unpaid?: number;
}

export type TokenPurpose = 'activation' | 'password_reset' | 'email_change';

export async function findUserByEmail(db: Conn, email: string): Promise<UserRow | undefined> {
  return db<UserRow>('users')
    .where({ email: normaliseEmail(email) })
    .first();
}

/** Whether too many failed sign-ins have locked the account for now (recordFailedSignin sets it). */
export function isLocked(user: { locked_until: Date | null }): boolean {
  return !!user.locked_until && user.locked_until.getTime() > Date.now();
}

/** The account's row, locked until the transaction ends (the second factor is judged under it). */
export async function lockUser(tx: Tx, id: number): Promise<UserRow | undefined> {
  return tx<UserRow>('users').where({ id }).forUpdate().first();
}

export async function findUserById(db: Conn, id: number): Promise<UserRow | undefined> {
  return db<UserRow>('users').where({ id }).first();
}

/** What a signed-in request knows of its account (read with the session, see web/session-user.ts). */
export const SESSION_USER_COLUMNS = ['id', 'email', 'locale', 'role', 'display_name'] as const;

export async function findSessionUser(db: Conn, id: number): Promise<SessionUser | undefined> {
  const user = await db('users')
    .select(...SESSION_USER_COLUMNS, db.raw(unpaidCountSql('users.id')))
    .where({ id, status: 'active' })
    .first();
  return user && { ...user, unpaid: Number(user.unpaid) };
}

/** Inserts a pending account; returns undefined when the address is already taken. */
export async function insertPendingUser(
  tx: Tx,
  user: { email: string; passwordHash: string; locale: Lang },
): Promise<number | undefined> {
  const rows = await tx('users')
    .insert({
      email: normaliseEmail(user.email),
      password_hash: user.passwordHash,
      locale: user.locale,
      terms_accepted_at: tx.fn.now(),
    })
    .onConflict('email')
    .ignore()
    .returning('id');
  return rows[0]?.id;
}

export async function activateUser(tx: Tx, id: number): Promise<void> {
  await tx('users').where({ id, status: 'pending' }).update({ status: 'active', activated_at: tx.fn.now() });
}

export async function setPassword(tx: Tx, id: number, passwordHash: string): Promise<void> {
  await tx('users').where({ id }).update({
    password_hash: passwordHash,
    password_changed_at: tx.fn.now(),
    failed_signins: 0,
    locked_until: null,
  });
}

/**
 * Gives the account this address; false, with nothing changed, when another account holds it (the
 * unique index decides, inside a savepoint so the caller's transaction goes on).
 */
export async function setEmailIfFree(tx: Tx, id: number, email: string): Promise<boolean> {
  try {
    await tx.transaction((savepoint) =>
      savepoint('users')
        .where({ id })
        .update({ email: normaliseEmail(email) }),
    );
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '23505') return false;
    throw error;
  }
}

/** Counts a failed sign-in; at `limit` failures the account is locked for a while and the count restarts. */
export async function recordFailedSignin(
  tx: Tx,
  id: number,
  limit: number,
  lockMs: number,
): Promise<{ locked: boolean }> {
  const row = await tx('users').select('failed_signins').where({ id }).forUpdate().first();
  const failures = (row?.failed_signins ?? 0) + 1;
  const locked = failures >= limit;
  await tx('users')
    .where({ id })
    .update(
      locked
        ? { failed_signins: 0, locked_until: new Date(Date.now() + lockMs) }
        : { failed_signins: failures },
    );
  return { locked };
}

export async function clearFailedSignins(db: Conn, id: number): Promise<void> {
  await db('users').where({ id }).andWhere('failed_signins', '>', 0).update({ failed_signins: 0 });
}

export async function insertToken(
  tx: Tx,
  token: { userId: number; purpose: TokenPurpose; hash: Buffer; ttlMs: number; newEmail?: string },
): Promise<void> {
  await tx('account_tokens').insert({
    user_id: token.userId,
    purpose: token.purpose,
    token_hash: token.hash,
    new_email: token.newEmail ?? null,
    expires_at: new Date(Date.now() + token.ttlMs),
  });
}

export interface TokenRow {
  id: number;
  user_id: number;
  purpose: TokenPurpose;
  new_email: string | null;
  expires_at: Date;
  used_at: Date | null;
}

/** The token with this hash and purpose, locked for the rest of the transaction so it is used once. */
export async function lockToken(tx: Tx, hash: Buffer, purpose: TokenPurpose): Promise<TokenRow | undefined> {
  return tx<TokenRow>('account_tokens')
    .where('token_hash', hash)
    .andWhere('purpose', purpose)
    .forUpdate()
    .first();
}

export async function findToken(
  db: Conn,
  hash: Buffer,
  purpose: TokenPurpose,
): Promise<TokenRow | undefined> {
  return db<TokenRow>('account_tokens').where('token_hash', hash).andWhere('purpose', purpose).first();
}

export function isUsable(token: TokenRow | undefined): token is TokenRow {
  return !!token && !token.used_at && token.expires_at.getTime() > Date.now();
}

export async function markTokenUsed(tx: Tx, id: number): Promise<void> {
  await tx('account_tokens').where({ id }).update({ used_at: tx.fn.now() });
}

/** Retires every unused token of this purpose, so only the newest link works. */
export async function retireTokens(tx: Tx, userId: number, purpose: TokenPurpose): Promise<void> {
  await tx('account_tokens')
    .where({ user_id: userId, purpose })
    .whereNull('used_at')
    .update({ used_at: tx.fn.now() });
}

/** Ends the user's sessions, except the one given (the request that changed the password). */
export async function endSessions(db: Conn, userId: number, exceptSid?: string): Promise<number> {
  const query = db('session').whereRaw(`(sess -> 'passport' ->> 'user') = ?`, [String(userId)]);
  if (exceptSid) query.andWhereNot({ sid: exceptSid });
  return query.delete();
}
