import { recordAudit } from '../../audit/audit';
import type { PinVault } from '../../crypto/pin-vault';
import { inTransaction, type Db } from '../../db/knex';
import { freshPin } from '../../domain/pins';
import * as q from './queries';
import type { RecordKind } from './queries';

export type { RecordKind };

export interface LetterRecord {
  kind: RecordKind;
  id: number;
  name: string;
  /** Undefined when retired by a change of SESSION_SECRET: staff make a new one (renewPin). */
  pin: string | undefined;
  used: boolean;
}

/**
 * Earlier client and contractor records of the city, created by staff, and the letters that carry their
 * PINs. A client PIN links one account; a contractor PIN lets the first person in manage the company.
 */
export function earlierRecords({ db, pins }: { db: Db; pins: PinVault }) {
  return {
    async create(
      staff: { userId: number; ip: string | undefined },
      kind: RecordKind,
      name: string,
      phone: string | null,
    ): Promise<number> {
      return inTransaction(db, async (tx) => {
        const pin = await freshPin(pins.hash, (hash) => q.anyPinTaken(tx, hash));
        let id: number;
        if (kind === 'client') {
          id = await q.insertClientRecord(tx, { name, pinHash: pins.hash(pin), pinSealed: pins.seal(pin) });
        } else {
          // The company's own association PIN is made now too; its manager will read it once they claim it.
          const companyPin = await freshPin(pins.hash, (hash) => q.anyPinTaken(tx, hash));
          id = await q.insertContractorRecord(tx, {
            name,
            phone: phone ?? '',
            pinHash: pins.hash(companyPin),
            pinSealed: pins.seal(companyPin),
            cityPinHash: pins.hash(pin),
            cityPinSealed: pins.seal(pin),
          });
        }
        await recordAudit(tx, {
          event: 'staff.record_created',
          actorUserId: staff.userId,
          ip: staff.ip,
          details: { kind, id },
        });
        return id;
      });
    },

    recent: (typed?: string) => q.recentRecords(db, typed),

    /**
     * A new PIN for a letter not used yet; the old one stops working. The letter's page offers it when a
     * change of SESSION_SECRET retired the PIN (it can no longer be printed, nor found by its keyed hash);
     * it is as right for a letter lost in the mail. False when the letter was used (or does not exist).
     */
    async renewPin(staff: { userId: number; ip: string | undefined }, kind: RecordKind, id: number) {
      return inTransaction(db, async (tx) => {
        const pin = await freshPin(pins.hash, (hash) => q.anyPinTaken(tx, hash));
        const renewed = await q.renewRecordPin(tx, kind, id, {
          hash: pins.hash(pin),
          sealed: pins.seal(pin),
        });
        if (renewed)
          await recordAudit(tx, {
            event: 'staff.record_pin_renewed',
            actorUserId: staff.userId,
            ip: staff.ip,
            details: { kind, id },
          });
        return renewed;
      });
    },

    async letter(kind: RecordKind, id: number): Promise<LetterRecord | undefined> {
      const row = await q.letterRow(db, kind, id);
      return row && { kind, id: row.id, name: row.name, pin: pins.open(row.sealed), used: row.used };
    },
  };
}

export type EarlierRecords = ReturnType<typeof earlierRecords>;
