import type { Db, Tx } from '../db/knex';
import { recordAudit } from '../audit/audit';

export type PinKind = 'client' | 'company';

const HOUR_MS = 60 * 60 * 1000;
/** Wrong PINs allowed in an hour, per account and per address of origin, before guessing is refused. */
export const PIN_FAILURES_PER_ACCOUNT = 5;
export const PIN_FAILURES_PER_IP = 20;

/** Whether this account, from this address, may try a PIN now (checked before looking the PIN up). */
export async function mayTryPin(
  db: Db | Tx,
  kind: PinKind,
  userId: number,
  ip: string | undefined,
): Promise<boolean> {
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
  return Number(byUser[0]?.n) < PIN_FAILURES_PER_ACCOUNT && Number(byIp[0]?.n) < PIN_FAILURES_PER_IP;
}

/** A wrong PIN: counted for the limits above and written to the audit trail. */
export async function recordPinFailure(
  db: Db | Tx,
  kind: PinKind,
  userId: number,
  ip: string | undefined,
): Promise<void> {
  await db('pin_failures').insert({ kind, user_id: userId, ip: ip ?? null, occurred_at: new Date() });
  await recordAudit(db, { event: 'pin.failed', actorUserId: userId, ip, details: { kind } });
}
