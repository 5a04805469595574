import type { Db, Tx } from '../../db/knex';
import type { ApplicationStatus } from '../../domain/application-lifecycle';
import { cityYear } from '../../domain/formatting';
import { CITY, type PermitType } from '../../domain/permit-types';
import type { PinVault } from '../../crypto/pin-vault';
import { newPin } from '../../domain/pins';
import { addEvent, nextNumber } from './queries';

export interface EarlierApplication {
  number?: string;
  permitType: PermitType;
  status: Exclude<ApplicationStatus, 'draft'>;
  streetNumber: string;
  streetName: string;
  postalCode?: string;
  description: string;
  lastActivityAt: Date;
}

/**
 * An earlier client record of the city with its applications, and the PIN to mail to the client (returned
 * once, stored only as a hash). Used by the demo seed, the tests and, later, the staff page.
 */
export async function createClientRecord(
  db: Db,
  pins: PinVault,
  record: { name: string; pin?: string; applications: EarlierApplication[]; linkedUserId?: number },
): Promise<{ id: number; pin: string; numbers: string[] }> {
  const pin = record.pin ?? newPin();
  return db.transaction(async (tx) => {
    const [row] = await tx('client_records')
      .insert({
        name: record.name,
        pin_hash: pins.hash(pin),
        linked_user_id: record.linkedUserId ?? null,
        linked_at: record.linkedUserId ? tx.fn.now() : null,
      })
      .returning('id');
    const numbers: string[] = [];
    for (const application of record.applications) {
      numbers.push(await insertEarlierApplication(tx, row.id, record.name, application));
    }
    return { id: row.id as number, pin, numbers };
  });
}

async function insertEarlierApplication(
  tx: Tx,
  recordId: number,
  name: string,
  a: EarlierApplication,
): Promise<string> {
  const year = cityYear(a.lastActivityAt);
  const number = a.number ?? (await nextNumber(tx, year));
  if (a.number) {
    // Numbers the city gave before keep the counter ahead of them, so new ones never collide.
    const given = Number(a.number.slice(-6));
    await tx.raw(
      `INSERT INTO application_counters (year, last_value) VALUES (?, ?)
       ON CONFLICT (year) DO UPDATE SET last_value = GREATEST(application_counters.last_value, EXCLUDED.last_value)`,
      [Number(a.number.slice(4, 8)), given],
    );
  }
  const [application] = await tx('applications')
    .insert({
      number,
      permit_type: a.permitType,
      status: a.status,
      street_number: a.streetNumber,
      street_name: a.streetName,
      postal_code: a.postalCode ?? null,
      city: CITY,
      description: a.description,
      client_record_id: recordId,
      applicant_name: name,
      submitted_at: a.lastActivityAt,
      last_activity_at: a.lastActivityAt,
      created_at: a.lastActivityAt,
    })
    .returning('id');
  await addEvent(tx, {
    applicationId: application.id,
    actorUserId: null,
    actorName: null,
    event: 'imported',
    to: a.status,
  });
  await tx('application_events')
    .where({ application_id: application.id })
    .update({ occurred_at: a.lastActivityAt });
  return number;
}
