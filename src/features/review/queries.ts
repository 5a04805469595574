import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';
import type { Side } from '../../domain/application-lifecycle';
import type { ApplicationRow } from '../applications/queries';

type Conn = Db | Tx;

/** Someone an email about an application goes to. */
export interface Recipient {
  id: number;
  email: string;
  locale: string;
  email_opt_outs: string[];
}

/**
 * The applicant's side of an application, defined here alone: the applicant; the person linked to the
 * earlier client record it belongs to; the members of the applicant company who may submit for it (Faire
 * une demande, or Gérer, which holds every permission). They write messages, answer deficiencies and are
 * emailed about it. Active accounts only.
 */
export async function applicantSide(
  conn: Conn,
  application: Pick<ApplicationRow, 'applicant_user_id' | 'client_record_id' | 'company_id'>,
): Promise<Recipient[]> {
  // The three sources as one UNION, each read by its index, then the accounts by their key: written as
  // one OR, PostgreSQL read every account (19 ms at 100,000 accounts, against 0.2 ms).
  const { rows } = await conn.raw<{ rows: Recipient[] }>(
    `SELECT id, email, locale, email_opt_outs FROM users
      WHERE status = 'active' AND id IN (
        SELECT ?::bigint
        UNION SELECT linked_user_id FROM client_records WHERE id = ?
        UNION SELECT user_id FROM company_members WHERE company_id = ? AND (can_submit OR can_manage))
      ORDER BY id`,
    [application.applicant_user_id, application.client_record_id, application.company_id],
  );
  return rows;
}

/** One person, as an email's recipient (none when the account is no longer active). */
export async function recipient(conn: Conn, userId: number): Promise<Recipient[]> {
  return conn('users')
    .where({ id: userId, status: 'active' })
    .select('id', 'email', 'locale', 'email_opt_outs');
}

/**
 * Staff's side of an application: its reviewer once one took it; before that, every active staff
 * account (a small team; the message must reach someone).
 */
export async function staffSide(conn: Conn, reviewerUserId: number | null): Promise<Recipient[]> {
  const query = conn('users').where({ role: 'staff', status: 'active' });
  if (reviewerUserId) void query.where('id', reviewerUserId);
  return query.select('id', 'email', 'locale', 'email_opt_outs').orderBy('id');
}

export interface MessageRow {
  id: number;
  author_name: string;
  side: Side;
  staff_only: boolean;
  body: string;
  created_at: Date;
  /** The deficiency this message answers, if it is a reply ("Répondre"). */
  answers: number | null;
}

/** The conversation on an application, oldest first; staff's own notes only when asked (staff pages). */
export function messages(conn: Conn, applicationId: number, withNotes: boolean): Read<MessageRow[]> {
  const query = conn('application_messages as m')
    .leftJoin('deficiencies as d', 'd.answer_message_id', 'm.id')
    .where('m.application_id', applicationId)
    .select(
      'm.id',
      'm.author_name',
      'm.side',
      'm.staff_only',
      'm.body',
      'm.created_at',
      conn.raw('min(d.id) AS answers'),
    )
    .groupBy('m.id')
    .orderBy('m.id');
  if (!withNotes) void query.where('m.staff_only', false);
  return Read.of(query);
}

export async function insertMessage(
  tx: Tx,
  message: {
    applicationId: number;
    authorUserId: number;
    authorName: string;
    side: Side;
    staffOnly?: boolean;
    body: string;
  },
): Promise<number> {
  const [row] = await tx('application_messages')
    .insert({
      application_id: message.applicationId,
      author_user_id: message.authorUserId,
      author_name: message.authorName,
      side: message.side,
      staff_only: message.staffOnly ?? false,
      body: message.body,
    })
    .returning('id');
  return row.id;
}

export interface DeficiencyRow {
  id: number;
  text: string;
  wants_document: boolean;
  requested_at: Date;
  answered_at: Date | null;
  resolved_at: Date | null;
}

export function deficiencies(conn: Conn, applicationId: number): Read<DeficiencyRow[]> {
  return Read.of(
    conn('deficiencies')
      .where({ application_id: applicationId })
      .select('id', 'text', 'wants_document', 'requested_at', 'answered_at', 'resolved_at')
      .orderBy('id'),
  );
}

export async function insertDeficiencies(
  tx: Tx,
  applicationId: number,
  requestedBy: number,
  texts: readonly string[],
  wantsDocument = false,
): Promise<void> {
  if (!texts.length) return;
  await tx('deficiencies').insert(
    texts.map((text) => ({
      application_id: applicationId,
      text,
      requested_by: requestedBy,
      wants_document: wantsDocument,
    })),
  );
}

/**
 * A deficiency of this application still waiting for the applicant (neither answered nor resolved), of
 * the kind the answer is: a request for a document is answered by an upload, any other by a reply.
 */
export async function isOpenDeficiency(
  tx: Tx,
  applicationId: number,
  deficiencyId: number,
  wantsDocument: boolean,
): Promise<boolean> {
  return !!(await tx('deficiencies')
    .where({ id: deficiencyId, application_id: applicationId, wants_document: wantsDocument })
    .whereNull('answered_at')
    .whereNull('resolved_at')
    .first('id'));
}

/** Ties the reply to the deficiency. */
export async function answerDeficiency(
  tx: Tx,
  applicationId: number,
  deficiencyId: number,
  messageId: number,
): Promise<void> {
  await tx('deficiencies')
    .where({ id: deficiencyId, application_id: applicationId })
    .update({ answer_message_id: messageId, answered_at: tx.fn.now() });
}

export async function resolveDeficiency(
  tx: Tx,
  applicationId: number,
  deficiencyId: number,
  staffId: number,
): Promise<boolean> {
  const updated = await tx('deficiencies')
    .where({ id: deficiencyId, application_id: applicationId })
    .whereNull('resolved_at')
    .update({ resolved_by: staffId, resolved_at: tx.fn.now() });
  return updated === 1;
}

/** How many deficiencies still wait for the applicant's answer. */
export async function unansweredCount(tx: Tx, applicationId: number): Promise<number> {
  const row = await tx('deficiencies')
    .where({ application_id: applicationId })
    .whereNull('answered_at')
    .whereNull('resolved_at')
    .count<{ n: number }>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

export interface QueueRow {
  number: string;
  permit_type: string;
  status: string;
  street_number: string;
  street_name: string;
  unit: string | null;
  city: string;
  applicant_name: string;
  decision_due_on: string | null;
  reviewer_name: string | null;
}

const QUEUE_COLUMNS = [
  'a.number',
  'a.permit_type',
  'a.status',
  'a.street_number',
  'a.street_name',
  'a.unit',
  'a.city',
  'a.applicant_name',
  'a.decision_due_on',
  'r.display_name as reviewer_name',
];

/**
 * The staff review queue: applications awaiting a decision, the earliest due first (so the latest come
 * first), read in order from the partial index applications_review_queue. One page, and whether another
 * follows: no total, which would count every application under review on each visit.
 */
export async function reviewQueue(
  db: Db,
  page: { size: number; offset: number },
): Promise<{ rows: QueueRow[]; more: boolean }> {
  const rows: QueueRow[] = await db('applications as a')
    .leftJoin('users as r', 'r.id', 'a.reviewer_user_id')
    .whereIn('a.status', ['submitted', 'in_review'])
    .select(QUEUE_COLUMNS)
    .orderByRaw('a.decision_due_on ASC NULLS LAST, a.id ASC')
    .limit(page.size + 1)
    .offset(page.offset);
  return { rows: rows.slice(0, page.size), more: rows.length > page.size };
}

/** Applications waiting for the applicant's information, the longest waiting first (index applications_waiting). */
export async function waitingQueue(db: Db, limit: number): Promise<QueueRow[]> {
  return db('applications as a')
    .leftJoin('users as r', 'r.id', 'a.reviewer_user_id')
    .where('a.status', 'information_required')
    .select(QUEUE_COLUMNS)
    .orderBy([
      { column: 'a.last_activity_at', order: 'asc' },
      { column: 'a.id', order: 'asc' },
    ])
    .limit(limit);
}

/** The deficiencies still waiting for an answer on these applications (one query for a page of them). */
/** An item the applicant's side still has to answer: by a reply, or by uploading the document it names. */
export interface OpenItem {
  id: number;
  application_id: number;
  text: string;
  wants_document: boolean;
}

export async function openDeficiencies(db: Db, applicationIds: readonly number[]): Promise<OpenItem[]> {
  if (!applicationIds.length) return [];
  return db('deficiencies')
    .whereIn('application_id', applicationIds)
    .whereNull('answered_at')
    .whereNull('resolved_at')
    .select('id', 'application_id', 'text', 'wants_document')
    .orderBy('id');
}
