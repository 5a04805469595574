import { recordAudit } from '../../audit/audit';
import type { PinVault } from '../../crypto/pin-vault';
import { inTransaction, type Db } from '../../db/knex';
import { freshPin } from '../../domain/pins';
import { pinTaken } from '../companies/queries';

export type RecordKind = 'client' | 'contractor';

export interface LetterRecord {
  kind: RecordKind;
  id: number;
  name: string;
  pin: string;
  used: boolean;
}

/**
 * Earlier client and contractor records of the city, created by staff, and the letters that carry their
 * PINs. A client PIN links one account; a contractor PIN lets the first person in manage the company.
 */
export function staffRecords({ db, pins }: { db: Db; pins: PinVault }) {
  const seal = pins.seal;
  return {
    async create(
      staff: { userId: number; ip: string | undefined },
      kind: RecordKind,
      name: string,
      phone: string | null,
    ): Promise<number> {
      return inTransaction(db, async (tx) => {
        const pin = await freshPin(
          pins.hash,
          async (hash) =>
            (await pinTaken(tx, hash)) || !!(await tx('client_records').where('pin_hash', hash).first('id')),
        );
        let id: number;
        if (kind === 'client') {
          [{ id }] = await tx('client_records')
            .insert({ name, pin_hash: pins.hash(pin), pin_sealed: seal(pin) })
            .returning('id');
        } else {
          // The company's own association PIN is made now too; its manager will read it once they claim it.
          const companyPin = await freshPin(pins.hash, (hash) => pinTaken(tx, hash));
          [{ id }] = await tx('companies')
            .insert({
              legal_name: name,
              phone: phone ?? '',
              pin_hash: pins.hash(companyPin),
              pin_sealed: seal(companyPin),
              city_pin_hash: pins.hash(pin),
              city_pin_sealed: seal(pin),
            })
            .returning('id');
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

    async recent(): Promise<
      { kind: RecordKind; id: number; name: string; created_at: Date; used: boolean }[]
    > {
      const [clients, contractors] = await Promise.all([
        db('client_records')
          .whereNotNull('pin_sealed')
          .select('id', 'name', 'created_at', db.raw('linked_user_id IS NOT NULL AS used'))
          .orderBy('created_at', 'desc')
          .limit(25),
        db('companies')
          .whereNotNull('city_pin_sealed')
          .select('id', 'legal_name as name', 'created_at', db.raw('city_pin_used_at IS NOT NULL AS used'))
          .orderBy('created_at', 'desc')
          .limit(25),
      ]);
      return [
        ...clients.map((r: { id: number; name: string; created_at: Date; used: boolean }) => ({
          kind: 'client' as const,
          ...r,
        })),
        ...contractors.map((r: { id: number; name: string; created_at: Date; used: boolean }) => ({
          kind: 'contractor' as const,
          ...r,
        })),
      ].sort((a, b) => b.created_at.getTime() - a.created_at.getTime());
    },

    async letter(kind: RecordKind, id: number): Promise<LetterRecord | undefined> {
      const row =
        kind === 'client'
          ? await db('client_records')
              .where({ id })
              .whereNotNull('pin_sealed')
              .first('id', 'name', 'pin_sealed as sealed', db.raw('linked_user_id IS NOT NULL AS used'))
          : await db('companies')
              .where({ id })
              .whereNotNull('city_pin_sealed')
              .first(
                'id',
                'legal_name as name',
                'city_pin_sealed as sealed',
                db.raw('city_pin_used_at IS NOT NULL AS used'),
              );
      if (!row) return undefined;
      return { kind, id: row.id, name: row.name, pin: pins.open(row.sealed), used: row.used };
    },
  };
}

export type StaffRecords = ReturnType<typeof staffRecords>;
