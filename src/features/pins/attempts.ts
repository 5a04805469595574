import type { Db, Tx } from '../../db/knex';
import { recordAudit } from '../../audit/audit';
import * as q from './queries';
import type { PinKind } from './queries';

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
  const id = await q.recordGuess(db, kind, userId, ip);
  const { byUser, byIp } = await q.guessesSince(db, kind, userId, ip, new Date(Date.now() - HOUR_MS));
  if (byUser > PIN_FAILURES_PER_ACCOUNT || byIp > PIN_FAILURES_PER_IP) {
    await q.forgetGuess(db, id);
    return undefined;
  }
  return {
    right: (tx) => q.forgetGuess(tx, id),
    wrong: (tx) => recordAudit(tx, { event: 'pin.failed', actorUserId: userId, ip, details: { kind } }),
  };
}
