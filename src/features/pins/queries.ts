import type { Db, Tx } from '../../db/knex';

export type PinKind = 'client' | 'company';

/** A guess, recorded (and committed) before it is judged; its id takes it back. */
export async function recordGuess(
  db: Db,
  kind: PinKind,
  userId: number,
  ip: string | undefined,
): Promise<number> {
  const [{ id }] = await db('pin_failures')
    .insert({ kind, user_id: userId, ip: ip ?? null, occurred_at: new Date() })
    .returning('id');
  return id;
}

export async function forgetGuess(db: Db | Tx, id: number): Promise<void> {
  await db('pin_failures').where({ id }).delete();
}

/** The guesses since this time, by this account and from this address (0 when the address is unknown). */
export async function guessesSince(
  db: Db,
  kind: PinKind,
  userId: number,
  ip: string | undefined,
  since: Date,
): Promise<{ byUser: number; byIp: number }> {
  const [byUser, byIp] = await Promise.all([
    db('pin_failures')
      .where({ kind, user_id: userId })
      .andWhere('occurred_at', '>', since)
      .count<{ n: string }[]>('* as n'),
    ip
      ? db('pin_failures')
          .where({ kind })
          .andWhereRaw('ip = ?::inet', [ip])
          .andWhere('occurred_at', '>', since)
          .count<{ n: string }[]>('* as n')
      : Promise.resolve([{ n: '0' }]),
  ]);
  return { byUser: Number(byUser[0]?.n), byIp: Number(byIp[0]?.n) };
}
