import type { Knex } from 'knex';
import type { Db, Tx } from '../../db/knex';
import { likePrefix } from '../../db/like';
import type { ApplicationStatus } from '../../domain/application-lifecycle';
import { cityYear } from '../../domain/formatting';
import { CITY, type PermitType } from '../../domain/permit-types';
import { addEvent, nextNumber } from '../applications/queries';
import { pinTaken } from '../companies/queries';

type Conn = Db | Tx;

export type RecordKind = 'client' | 'contractor';

export interface ClientRecordRow {
  id: number;
  name: string;
  pin_hash: Buffer;
  linked_user_id: number | null;
}

/** Whether a PIN hash is taken by any record or company (a new PIN must match one thing only). */
export async function anyPinTaken(tx: Tx, pinHash: Buffer): Promise<boolean> {
  return (
    (await pinTaken(tx, pinHash)) || !!(await tx('client_records').where('pin_hash', pinHash).first('id'))
  );
}

export async function insertClientRecord(
  tx: Tx,
  record: { name: string; pinHash: Buffer; pinSealed?: string; linkedUserId?: number },
): Promise<number> {
  const [row] = await tx('client_records')
    .insert({
      name: record.name,
      pin_hash: record.pinHash,
      pin_sealed: record.pinSealed ?? null,
      linked_user_id: record.linkedUserId ?? null,
      linked_at: record.linkedUserId ? tx.fn.now() : null,
    })
    .returning('id');
  return row.id;
}

/** An earlier contractor record: a company without members, with the PIN the city mails it. */
export async function insertContractorRecord(
  tx: Tx,
  record: {
    name: string;
    phone: string;
    pinHash: Buffer;
    pinSealed: string;
    cityPinHash: Buffer;
    cityPinSealed: string;
  },
): Promise<number> {
  const [row] = await tx('companies')
    .insert({
      legal_name: record.name,
      phone: record.phone,
      pin_hash: record.pinHash,
      pin_sealed: record.pinSealed,
      city_pin_hash: record.cityPinHash,
      city_pin_sealed: record.cityPinSealed,
    })
    .returning('id');
  return row.id;
}

export interface RecentRecord {
  kind: RecordKind;
  id: number;
  name: string;
  created_at: Date;
  used: boolean;
}

/** The newest records with a letter to print (25 of each kind), or those whose name starts with `typed`. */
export async function recentRecords(db: Db, typed?: string): Promise<RecentRecord[]> {
  type Row = Omit<RecentRecord, 'kind'>;
  // With a name typed: the records whose name starts with it, however old (a letter to reprint).
  const named = (column: string) => (q: Knex.QueryBuilder) => {
    if (typed) void q.whereRaw(`lower(${column}) LIKE ?`, [likePrefix(typed)]);
  };
  const [clients, contractors] = await Promise.all([
    db('client_records')
      .whereNotNull('pin_sealed')
      .modify(named('name'))
      .select('id', 'name', 'created_at', db.raw('linked_user_id IS NOT NULL AS used'))
      .orderBy('created_at', 'desc')
      .limit(25) as Promise<Row[]>,
    db('companies')
      .whereNotNull('city_pin_sealed')
      .modify(named('legal_name'))
      .select('id', 'legal_name as name', 'created_at', db.raw('city_pin_used_at IS NOT NULL AS used'))
      .orderBy('created_at', 'desc')
      .limit(25) as Promise<Row[]>,
  ]);
  return [
    ...clients.map((r) => ({ kind: 'client' as const, ...r })),
    ...contractors.map((r) => ({ kind: 'contractor' as const, ...r })),
  ].sort((a, b) => b.created_at.getTime() - a.created_at.getTime());
}

/** What a letter prints: the record's name, its sealed PIN, and whether it was used. */
export async function letterRow(
  db: Db,
  kind: RecordKind,
  id: number,
): Promise<{ id: number; name: string; sealed: string; used: boolean } | undefined> {
  return kind === 'client'
    ? db('client_records')
        .where({ id })
        .whereNotNull('pin_sealed')
        .first('id', 'name', 'pin_sealed as sealed', db.raw('linked_user_id IS NOT NULL AS used'))
    : db('companies')
        .where({ id })
        .whereNotNull('city_pin_sealed')
        .first(
          'id',
          'legal_name as name',
          'city_pin_sealed as sealed',
          db.raw('city_pin_used_at IS NOT NULL AS used'),
        );
}

/** A new PIN for a record whose letter was not used yet; false when it was (or it does not exist). */
export async function renewRecordPin(
  tx: Tx,
  kind: RecordKind,
  id: number,
  pin: { hash: Buffer; sealed: string },
): Promise<boolean> {
  const updated =
    kind === 'client'
      ? await tx('client_records')
          .where({ id })
          .whereNotNull('pin_sealed')
          .whereNull('linked_user_id')
          .update({ pin_hash: pin.hash, pin_sealed: pin.sealed })
      : await tx('companies')
          .where({ id })
          .whereNotNull('city_pin_sealed')
          .whereNull('city_pin_used_at')
          .update({ city_pin_hash: pin.hash, city_pin_sealed: pin.sealed });
  return updated === 1;
}

export async function lockClientRecordByPin(tx: Tx, pinHash: Buffer): Promise<ClientRecordRow | undefined> {
  return tx<ClientRecordRow>('client_records').where('pin_hash', pinHash).forUpdate().first();
}

export async function linkClientRecord(tx: Tx, recordId: number, userId: number): Promise<void> {
  await tx('client_records')
    .where({ id: recordId })
    .update({ linked_user_id: userId, linked_at: tx.fn.now() });
}

export async function linkedClientRecords(db: Conn, userId: number): Promise<{ id: number; name: string }[]> {
  return db('client_records').select('id', 'name').where({ linked_user_id: userId }).orderBy('linked_at');
}

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
 * An application the city had before the portal, under an earlier client record, with its history's
 * first entry dated when it happened. A number the city gave keeps the year's counter ahead of it.
 */
export async function insertEarlierApplication(
  tx: Tx,
  recordId: number,
  name: string,
  a: EarlierApplication,
): Promise<{ id: number; number: string }> {
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
  return { id: application.id, number };
}
