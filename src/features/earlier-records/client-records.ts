import type { PinVault } from '../../crypto/pin-vault';
import { inTransaction, type Db } from '../../db/knex';
import { newPin } from '../../domain/pins';
import { keepClock } from '../applications/lifecycle';
import { insertClientRecord, insertEarlierApplication, type EarlierApplication } from './queries';

export type { EarlierApplication };

/**
 * An earlier client record of the city with its applications, and the PIN to mail to the client (returned
 * once, stored only as a hash). Used by the demo seed and the tests (staff create records with service.ts).
 */
export async function createClientRecord(
  db: Db,
  pins: PinVault,
  record: { name: string; pin?: string; applications: EarlierApplication[]; linkedUserId?: number },
): Promise<{ id: number; pin: string; numbers: string[] }> {
  const pin = record.pin ?? newPin();
  return inTransaction(db, async (tx) => {
    const id = await insertClientRecord(tx, {
      name: record.name,
      pinHash: pins.hash(pin),
      linkedUserId: record.linkedUserId,
    });
    const numbers: string[] = [];
    for (const application of record.applications) {
      const imported = await insertEarlierApplication(tx, id, record.name, application);
      // An application still under review comes with its review clock, for the staff queue.
      await keepClock(tx, imported.id);
      numbers.push(imported.number);
    }
    return { id, pin, numbers };
  });
}
