import type { Db, Tx } from '../../db/knex';
import { recordAudit } from '../../audit/audit';

export type PinKind = 'client' | 'company';

const HOUR_MS = 60 * 60 * 1000;
/** Wrong PINs allowed in an hour, per account and per address of origin, before guessing is refused. */
export const PIN_FAILURES_PER_ACCOUNT = 5;
export const PIN_FAILURES_PER_IP = 20;

/** A guess recorded before it is judged: settle it with `right` or `wrong`. */
export interface PinAttempt {
  /** The PIN was right: the attempt is not a failure and stops counting. */
  right: (tx: Tx) => Promise<void>;
  /** The PIN was wrong: the attempt stays counted, and the audit trail records it. */
  wrong: (tx: Tx) => Promise<void>;
}

/**
 * Records this guess, committed, before anything judges it, then counts the guesses of the last hour
 * that include it (and any still being judged): one that would pass a limit is taken back and refused
 * (undefined). Parallel guesses cannot all pass the check before any is counted, in this process or
 * another: of those judged wrong, the last to count saw every other one, so at most the limit are judged. Refused guesses are not kept, so hammering a locked door does not push
 * its opening further away.
 */
export async function startPinAttempt(
  db: Db,
  kind: PinKind,
  userId: number,
  ip: string | undefined,
): Promise<PinAttempt | undefined> {
  const [{ id }] = await db('pin_failures')
    .insert({ kind, user_id: userId, ip: ip ?? null, occurred_at: new Date() })
    .returning('id');
  const since = new Date(Date.now() - HOUR_MS);
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
  if (Number(byUser[0]?.n) > PIN_FAILURES_PER_ACCOUNT || Number(byIp[0]?.n) > PIN_FAILURES_PER_IP) {
    await db('pin_failures').where({ id }).delete();
    return undefined;
  }
  return {
    right: async (tx) => void (await tx('pin_failures').where({ id }).delete()),
    wrong: (tx) => recordAudit(tx, { event: 'pin.failed', actorUserId: userId, ip, details: { kind } }),
  };
}
