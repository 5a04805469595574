import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';
import type { InspectionStatus, InspectionWindow } from '../../domain/inspections';
import { actableApplicationsSql } from '../applications/queries';

type Conn = Db | Tx;

export interface StageRow {
  code: string;
  position: number;
  name_fr: string;
  name_en: string;
  mandatory: boolean;
  final: boolean;
}

export interface InspectionRow {
  id: number;
  application_id: number;
  stage: string;
  status: InspectionStatus;
  preferred_on: string;
  contact_phone: string;
  notes: string;
  requested_by_name: string;
  requested_at: Date;
  scheduled_on: string | null;
  time_window: InspectionWindow | null;
  inspector_name: string | null;
  sequence: number;
  result_notes: string | null;
  decided_by_name: string | null;
  decided_at: Date | null;
}

/** The stages that apply to a permit type, in the order of the work. */
export function stagesFor(conn: Conn, permitType: string | null): Read<StageRow[]> {
  // A draft may not have its type yet: no stage applies.
  if (!permitType) return Read.value([]);
  return Read.of(
    conn('inspection_stages')
      .whereRaw('? = ANY(applies_to)', [permitType])
      .select('code', 'position', 'name_fr', 'name_en', 'mandatory', 'final')
      .orderBy('position'),
  );
}

export function inspectionsOf(conn: Conn, applicationId: number): Read<InspectionRow[]> {
  return Read.of(
    conn('inspections as i').where('i.application_id', applicationId).select('i.*').orderBy('i.id'),
  );
}

export async function lockInspection(
  tx: Tx,
  applicationId: number,
  id: number,
): Promise<InspectionRow | undefined> {
  const row = await tx('inspections as i')
    .where({ 'i.application_id': applicationId, 'i.id': id })
    .select('i.*')
    .forUpdate()
    .first();
  return row;
}

export async function insertInspection(
  tx: Tx,
  row: Pick<
    InspectionRow,
    'application_id' | 'stage' | 'preferred_on' | 'contact_phone' | 'notes' | 'requested_by_name'
  > & { requested_by: number },
): Promise<number> {
  const [inserted] = await tx('inspections').insert(row).returning('id');
  return inserted.id;
}

export async function updateInspection(
  tx: Tx,
  id: number,
  columns: Partial<Omit<InspectionRow, 'id' | 'application_id'>>,
): Promise<void> {
  await tx('inspections').where({ id }).update(columns);
}

/**
 * How many stages of the application wait to be booked again: failed, with no later request of the
 * same stage. Kept on the application (inspections_to_book) so "Actions requises" counts them with
 * the rest, in its one query.
 */
export async function refreshToBook(tx: Tx, applicationId: number): Promise<void> {
  await tx.raw(
    `UPDATE applications SET inspections_to_book = (
       SELECT count(*) FROM inspections f
        WHERE f.application_id = :id AND f.status = 'failed'
          AND NOT EXISTS (SELECT 1 FROM inspections later
                           WHERE later.application_id = f.application_id AND later.stage = f.stage
                             AND later.id > f.id AND later.status <> 'cancelled'))
      WHERE id = :id`,
    { id: applicationId },
  );
}

/** A row of staff's queue: the inspection, its application's number and street, its stage's names. */
export type QueueRow = InspectionRow & { number: string; street: string; name_fr: string; name_en: string };

function queueRows(conn: Conn) {
  return conn('inspections as i')
    .join('applications as a', 'a.id', 'i.application_id')
    .join('inspection_stages as s', 's.code', 'i.stage')
    .select(
      'i.*',
      'a.number',
      's.name_fr',
      's.name_en',
      conn.raw(`a.street_number || ' ' || a.street_name AS street`),
    );
}

/** Staff's queue: the requests waiting for a day, oldest preferred day first (index inspections_to_schedule). */
export async function toSchedule(conn: Conn): Promise<QueueRow[]> {
  const rows = await queueRows(conn)
    .where('i.status', 'requested')
    .orderBy([{ column: 'i.preferred_on' }, { column: 'i.id' }])
    .limit(200);
  return rows;
}

/** One day's schedule, the morning first (index inspections_by_day). */
export async function scheduledOn(conn: Conn, day: string): Promise<QueueRow[]> {
  const rows = await queueRows(conn)
    .where({ 'i.status': 'scheduled', 'i.scheduled_on': day })
    .orderBy([{ column: 'i.time_window', order: 'desc' }, { column: 'i.id' }]);
  return rows;
}

/**
 * The issued permits this person may ask inspections for ("Demande d'inspection": choose the permit):
 * theirs, their earlier client records', and their companies' where they hold Inspection (or Gérer).
 */
export async function inspectablePermits(
  conn: Conn,
  userId: number,
): Promise<
  {
    id: number;
    number: string;
    permit_type: string;
    street_number: string;
    street_name: string;
    unit: string | null;
    city: string;
    applicant_name: string;
  }[]
> {
  const { rows } = await conn.raw(
    `SELECT id, number, permit_type, street_number, street_name, unit, city, applicant_name
       FROM applications
      WHERE id IN (${actableApplicationsSql(':user', 'inspect', 'issued')})
      ORDER BY last_activity_at DESC, id DESC
      LIMIT 200`,
    { user: userId },
  );
  return rows;
}
