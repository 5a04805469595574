import { likeContains } from '../../db/like';
import { nextInYear, yearlyNumber } from '../../db/counters';
import type { Knex } from 'knex';
import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';
import { prepared } from '../../db/prepared';
import { ACTION_REQUIRED, type ApplicationStatus } from '../../domain/application-lifecycle';
import { PERMISSION_COLUMNS, type Permission } from '../../domain/company-permissions';

type Conn = Db | Tx;

export interface ApplicationRow {
  id: number;
  number: string | null;
  /** The permit type, address and description: null only in a draft (saved incomplete). */
  permit_type: string | null;
  status: ApplicationStatus;
  street_number: string | null;
  street_name: string | null;
  unit: string | null;
  postal_code: string | null;
  city: string;
  description: string | null;
  applicant_user_id: number | null;
  client_record_id: number | null;
  company_id: number | null;
  /** The company named as contact (personne-ressource), whose members with Faire une demande follow it. */
  contact_company_id: number | null;
  withdrawal_pending: boolean;
  applicant_name: string;
  created_by: number | null;
  submitted_at: Date | null;
  last_activity_at: Date;
  created_at: Date;
  /** The staff member who took it into review ("Prendre en examen"). */
  reviewer_user_id: number | null;
  /** The review clock's date ('YYYY-MM-DD'), kept by moveStatus; null while paused or when none is owed. */
  decision_due_on: string | null;
  /** "Superficie (m²)", as PostgreSQL's numeric gives it ('120.50'), or null. */
  floor_area_m2: string | null;
  /** Failed inspection stages not booked again yet (kept by the inspections' code). */
  inspections_to_book: number;
}

/** An application past its draft: the CHECK applications_complete_unless_draft guarantees these. */
export type SubmittedApplication = ApplicationRow & {
  permit_type: string;
  street_number: string;
  street_name: string;
  description: string;
};

/** The application as submitted; a draft here is a bug in the caller (permits, fees, inspections). */
export function submitted(application: ApplicationRow): SubmittedApplication {
  const { permit_type, street_number, street_name, description } = application;
  if (application.status === 'draft' || !permit_type || !street_number || !street_name || !description)
    throw new Error(`application ${application.id} is a draft, not a submitted application`);
  return application as SubmittedApplication;
}

/** Named, not `*`: a prepared statement's columns must not change under it when a migration adds one. */
const APPLICATION_COLUMNS = (
  [
    'id',
    'number',
    'permit_type',
    'status',
    'street_number',
    'street_name',
    'unit',
    'postal_code',
    'city',
    'description',
    'applicant_user_id',
    'client_record_id',
    'company_id',
    'contact_company_id',
    'withdrawal_pending',
    'applicant_name',
    'created_by',
    'submitted_at',
    'last_activity_at',
    'created_at',
    'reviewer_user_id',
    'decision_due_on',
    'floor_area_m2',
    'inspections_to_book',
  ] as const satisfies readonly (keyof ApplicationRow)[]
).map((column) => `applications.${column}`);

/**
 * What gives a user sight of applications: being their applicant, being linked to their earlier client
 * record, belonging to their company with at least one permission (a member with none sees none), or
 * holding Faire une demande in the company an application names as its contact (personne-ressource).
 */
export interface Viewer {
  userId: number;
  clientRecordIds: number[];
  companyIds: number[];
  contactCompanyIds: number[];
}

/**
 * The viewer's two lists as two SQL array expressions (`records`, `companies`) for the user `userId`
 * names, each read by its own index. Also read with the session (web/session-user.ts). The permission
 * columns are this code's own names, never input.
 */
export function viewerListsSql(userId: string): string {
  const member = Object.values(PERMISSION_COLUMNS).join(' OR ');
  return `ARRAY(SELECT id FROM client_records WHERE linked_user_id = ${userId}) AS records,
          ARRAY(SELECT company_id FROM company_members WHERE user_id = ${userId} AND (${member})) AS companies,
          ARRAY(SELECT company_id FROM company_members WHERE user_id = ${userId}
                  AND (${PERMISSION_COLUMNS.submit} OR ${PERMISSION_COLUMNS.manage})) AS contacts`;
}

export interface ViewerLists {
  records: string[];
  companies: string[];
  contacts: string[];
}

export function viewerFromLists(userId: number, lists: ViewerLists): Viewer {
  return {
    userId,
    clientRecordIds: lists.records.map(Number),
    companyIds: lists.companies.map(Number),
    contactCompanyIds: lists.contacts.map(Number),
  };
}

export async function viewer(db: Conn, userId: number): Promise<Viewer> {
  const { rows } = await db.raw<{ rows: ViewerLists[] }>(`SELECT ${viewerListsSql(':userId')}`, { userId });
  return viewerFromLists(userId, rows[0]!);
}

/**
 * Who sees an application, defined here alone: the grounds on which a viewer sees one, each a column and
 * its condition (their own; their earlier client records'; their companies'; those naming one of their
 * companies as contact). visibleTo and the list's
 * sources are both made from them. The ids are literal values (not a subquery) so PostgreSQL combines
 * the per-column indexes; = ANY(array), not IN (...), so the text stays the same whatever the number of
 * ids (prepared statements).
 */
interface Ground {
  is: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
  isNot: (q: Knex.QueryBuilder) => Knex.QueryBuilder;
}

function grounds(who: Viewer): Ground[] {
  const list: Ground[] = [
    {
      is: (q) => q.where('applications.applicant_user_id', who.userId),
      isNot: (q) =>
        q.where(
          (w) =>
            void w
              .whereNull('applications.applicant_user_id')
              .orWhereNot('applications.applicant_user_id', who.userId),
        ),
    },
  ];
  for (const [column, ids] of [
    ['applications.client_record_id', who.clientRecordIds],
    ['applications.company_id', who.companyIds],
    ['applications.contact_company_id', who.contactCompanyIds],
  ] as const) {
    if (!ids.length) continue;
    list.push({
      is: (q) => q.whereRaw(`${column} = ANY(?)`, [ids]),
      isNot: (q) => q.where((w) => void w.whereNull(column).orWhereRaw(`NOT ${column} = ANY(?)`, [ids])),
    });
  }
  return list;
}

/** The permissions a member may hold on a company's applications (Gérer counts for each). */
export type ActPermission = Exclude<Permission, 'manage'>;

/**
 * Who this person is to one or more applications, read in one query: `own` when they are its applicant
 * or the person linked to its earlier client record (both act on their own file in every way), and, for
 * each permission, whether they are a member of its company holding it (or Gérer, which holds them all).
 * A page asks this once and derives every button from it (mayAct), instead of a query per button.
 */
export interface Standing {
  own: boolean;
  member: Record<ActPermission, boolean>;
}

const ACT_PERMISSIONS = (Object.keys(PERMISSION_COLUMNS) as Permission[]).filter(
  (p): p is ActPermission => p !== 'manage',
);

export function standingOn(conn: Conn, userId: number, applicationIds: readonly number[]): Read<Standing> {
  const none = Object.fromEntries(ACT_PERMISSIONS.map((p) => [p, false])) as Standing['member'];
  if (!applicationIds.length) return Read.value({ own: false, member: none });
  // The columns are this code's own names, never input.
  const each = ACT_PERMISSIONS.map(
    (p) => `coalesce(bool_or(m.can_manage OR m.${PERMISSION_COLUMNS[p]}), false) AS "${p}"`,
  );
  return Read.of(
    conn.raw(
      `SELECT coalesce(bool_or(a.applicant_user_id = ? OR c.id IS NOT NULL), false) AS own, ${each.join(', ')}
         FROM applications a
         LEFT JOIN client_records c ON c.id = a.client_record_id AND c.linked_user_id = ?
         LEFT JOIN company_members m ON m.company_id = a.company_id AND m.user_id = ?
        WHERE a.id = ANY(?)`,
      [userId, userId, userId, [...applicationIds]],
    ),
    (rows: ({ own: boolean } & Standing['member'])[]) => {
      const { own, ...member } = rows[0]!;
      return { own, member };
    },
  );
}

/**
 * Whether this person may do `permission` on one of the applications of this standing, defined here
 * alone: their own file, or a membership holding it. Paying, uploading documents, asking for
 * inspections and naming a contact ask this.
 */
export function mayAct(standing: Standing, permission: ActPermission): boolean {
  return standing.own || standing.member[permission];
}

/** mayAct, read from the database: for the checks made inside a transaction. */
export async function mayActFor(
  conn: Conn,
  userId: number,
  applicationIds: readonly number[],
  permission: ActPermission,
): Promise<boolean> {
  return mayAct(await standingOn(conn, userId, applicationIds), permission);
}

/**
 * The ids of the applications in `status` this person may do `permission` on, by mayAct's rule, as
 * SQL for an IN (…): one index lookup per ground, joined by UNION (written as one OR, PostgreSQL reads
 * every application). `userId` is a SQL expression (a placeholder or a column); the status and the
 * column are this code's own words, never input.
 */
export function actableApplicationsSql(
  userId: string,
  permission: ActPermission,
  status: ApplicationStatus,
): string {
  const column = PERMISSION_COLUMNS[permission];
  return `SELECT id FROM applications WHERE applicant_user_id = ${userId} AND status = '${status}'
    UNION SELECT a.id FROM applications a JOIN client_records c ON c.id = a.client_record_id
      WHERE c.linked_user_id = ${userId} AND a.status = '${status}'
    UNION SELECT a.id FROM applications a JOIN company_members m ON m.company_id = a.company_id
      WHERE m.user_id = ${userId} AND (m.${column} OR m.can_manage) AND a.status = '${status}'`;
}

/** The applications this viewer sees (for one found by its reference). */
export function visibleTo(query: Knex.QueryBuilder, who: Viewer): Knex.QueryBuilder {
  return query.where((visible) => {
    for (const ground of grounds(who)) void visible.orWhere((w) => void ground.is(w));
  });
}

/** The address as the trigram index holds it (migration 20261202000023_clerk_search): lower case, no accents. */
export const FOLDED_ADDRESS = `portal_fold(coalesce(street_number, '') || ' ' || coalesce(street_name, ''))`;

/**
 * The shortest text searched inside addresses: a trigram index needs three characters to narrow the
 * search; fewer would read every application.
 */
export const ADDRESS_SEARCH_MIN = 3;

export interface ListFilter {
  statuses?: readonly ApplicationStatus[];
  /** Also an issued permit with a failed inspection to book again (the required actions' list). */
  orInspectionsToBook?: boolean;
  activeSince?: Date;
  /** "Recherche": a file number, or any part of the address (three characters at least). */
  search?: string;
}

/** The filter as one SQL condition, used both to pick the page's rows and to count them. */
function matching(filter: ListFilter): { sql: string; bindings: Knex.RawBinding[] } {
  const parts: string[] = [];
  const bindings: Knex.RawBinding[] = [];
  if (filter.statuses) {
    parts.push(
      filter.orInspectionsToBook ? '(status = ANY(?) OR inspections_to_book > 0)' : 'status = ANY(?)',
    );
    bindings.push([...filter.statuses]);
  }
  if (filter.activeSince) {
    parts.push('last_activity_at >= ?');
    bindings.push(filter.activeSince);
  }
  if (filter.search) {
    if (filter.search.length >= ADDRESS_SEARCH_MIN) {
      parts.push(`(number = ? OR ${FOLDED_ADDRESS} LIKE portal_fold(?))`);
      bindings.push(filter.search.toUpperCase(), likeContains(filter.search));
    } else {
      parts.push('number = ?');
      bindings.push(filter.search.toUpperCase());
    }
  }
  return { sql: parts.join(' AND ') || 'true', bindings };
}

/**
 * The viewer's applications as separate sources that never overlap (their own; their earlier client
 * records' not already theirs; their companies' not already either), so each is read in order from its
 * own index and their counts add up. One OR over the three made PostgreSQL read and sort every row.
 */
function sources(db: Conn, who: Viewer): Knex.QueryBuilder[] {
  const all = grounds(who);
  return all.map((ground, i) => {
    const query = ground.is(db('applications'));
    for (const earlier of all.slice(0, i)) earlier.isNot(query);
    return query;
  });
}

const NEWEST_FIRST = [
  { column: 'last_activity_at', order: 'desc' },
  { column: 'id', order: 'desc' },
] as const;

/**
 * How many things the viewer's applications ask of them ("Actions requises"): each deficiency still
 * waiting for an answer is one; a draft to submit or fees to pay is one; each failed inspection stage
 * to book again is one. Only applications in Renseignements requis look into their deficiencies (index
 * deficiencies_open); an issued permit's stages to book are counted on its row.
 */
const ACTION_ITEMS = `coalesce(sum(CASE
    WHEN status = 'information_required' THEN (SELECT count(*) FROM deficiencies d
      WHERE d.application_id = applications.id AND d.answered_at IS NULL AND d.resolved_at IS NULL)
    WHEN status = 'issued' THEN inspections_to_book
    WHEN status = ANY(?) THEN 1 ELSE 0 END), 0)`;

/**
 * How many of the viewer's applications match the filter, and how many ask something of them (the home's
 * "Actions requises" count): one index-only pass over the sources.
 */
export async function countApplications(
  db: Db,
  who: Viewer,
  filter: ListFilter,
): Promise<{ total: number; actionCount: number }> {
  const counts = await prepared<{ total: string; actions: string }>(db, countsQuery(db, who, filter));
  return { total: Number(counts[0]!.total), actionCount: Number(counts[0]!.actions) };
}

function countsQuery(db: Conn, who: Viewer, filter: ListFilter): Knex.QueryBuilder {
  const { sql, bindings } = matching(filter);
  const perSource = sources(db, who).map((source) =>
    source.select(
      db.raw(`count(*) FILTER (WHERE ${sql}) AS total, ${ACTION_ITEMS} AS actions`, [
        ...bindings,
        [...ACTION_REQUIRED],
      ]),
    ),
  );
  return db
    .from(db.queryBuilder().unionAll(perSource, true).as('counts'))
    .select(db.raw('sum(total) AS total, sum(actions) AS actions'));
}

/**
 * One page of the grid, newest activity first, with the counts above, in one round trip: the page's rows
 * are joined to the counts' single row (a page past the end still has the counts, on a row of NULLs).
 */
export async function listApplications(
  db: Db,
  who: Viewer,
  filter: ListFilter,
  page: { size: number; offset: number },
): Promise<{ rows: ApplicationRow[]; total: number; actionCount: number }> {
  const { sql, bindings } = matching(filter);
  // Each source gives at most the rows up to the end of this page, already in order.
  const perSource = sources(db, who).map((source) =>
    source
      .whereRaw(sql, bindings)
      .select(APPLICATION_COLUMNS)
      .orderBy([...NEWEST_FIRST])
      .limit(page.offset + page.size),
  );
  const rows = db
    .select('*')
    .from(db.queryBuilder().unionAll(perSource, true).as('visible'))
    .orderBy([...NEWEST_FIRST])
    .limit(page.size)
    .offset(page.offset);
  const joined = await prepared<ApplicationRow & { counted_total: string; counted_actions: string }>(
    db,
    db.raw(
      `SELECT counts.total AS counted_total, counts.actions AS counted_actions, page.*
         FROM ? counts LEFT JOIN LATERAL ? page ON true`,
      [countsQuery(db, who, filter), rows],
    ),
  );
  const first = joined[0]!;
  return {
    rows: joined
      .filter((row) => row.id != null)
      .map(({ counted_total: _t, counted_actions: _a, ...row }) => row as ApplicationRow),
    total: Number(first.counted_total),
    actionCount: Number(first.counted_actions),
  };
}

/** The application known by `ref` (file number or draft reference), among those `who` may see. */
function visibleByRef(db: Conn, who: Viewer, ref: string): Knex.QueryBuilder {
  const query = visibleTo(db('applications'), who);
  if (ref.startsWith('B'))
    void query.where('applications.id', Number(ref.slice(1))).where('applications.status', 'draft');
  else void query.where('applications.number', ref);
  return query;
}

/** The application by its file number or draft reference, only if this user may see it. */
export async function findVisible(
  db: Conn,
  userId: number,
  ref: string,
  lock = false,
): Promise<ApplicationRow | undefined> {
  const query = visibleByRef(db, await viewer(db, userId), ref).select('applications.*');
  if (lock) void query.forUpdate();
  return query.first();
}

export interface EventRow {
  id: number;
  occurred_at: Date;
  actor_name: string | null;
  event: string;
  from_status: ApplicationStatus | null;
  to_status: ApplicationStatus | null;
}

const EVENT_COLUMNS = [
  'id',
  'occurred_at',
  'actor_name',
  'event',
  'from_status',
  'to_status',
] as const satisfies readonly (keyof EventRow)[];

/**
 * The application's page: the application, if `who` may see it, and its history newest first, in one
 * prepared query (a row per history entry, the application's columns on each).
 */
export async function activity(
  db: Db,
  who: Viewer,
  ref: string,
): Promise<{ application: ApplicationRow; history: EventRow[] } | undefined> {
  const rows = await prepared<Record<string, unknown>>(
    db,
    db.raw(
      `SELECT a.*, ${EVENT_COLUMNS.map((column) => `e.${column} AS event_${column}`).join(', ')}
         FROM ? a LEFT JOIN application_events e ON e.application_id = a.id
        ORDER BY e.occurred_at DESC, e.id DESC`,
      [visibleByRef(db, who, ref).select(APPLICATION_COLUMNS).limit(1)],
    ),
  );
  if (!rows.length) return undefined;
  const application = Object.fromEntries(
    Object.entries(rows[0]!).filter(([key]) => !key.startsWith('event_')),
  ) as unknown as ApplicationRow;
  const history = rows
    .filter((row) => row.event_id != null)
    .map((row) => Object.fromEntries(EVENT_COLUMNS.map((column) => [column, row[`event_${column}`]])))
    .map((event) => event as unknown as EventRow);
  return { application, history };
}

export function history(db: Conn, applicationId: number): Read<EventRow[]> {
  return Read.of(
    db('application_events')
      .where({ application_id: applicationId })
      .orderBy([
        { column: 'occurred_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]),
  );
}

/** A new draft with the form's columns; its history starts with "created". */
export async function insertDraft(tx: Tx, columns: Record<string, unknown>): Promise<ApplicationRow> {
  const [row] = await tx('applications')
    .insert({ ...columns, status: 'draft', last_activity_at: new Date() })
    .returning('*');
  return row as ApplicationRow;
}

export async function updateDraft(tx: Tx, id: number, columns: Record<string, unknown>): Promise<void> {
  await tx('applications')
    .where({ id })
    .update({ ...columns, last_activity_at: new Date() });
}

/** Writes a status (with the columns that go with the move); only moveStatus calls this (lifecycle.ts). */
export async function setStatus(
  tx: Tx,
  id: number,
  status: ApplicationStatus,
  columns: Record<string, unknown> = {},
): Promise<void> {
  await tx('applications')
    .where({ id })
    .update({ ...columns, status, last_activity_at: new Date() });
}

/** What the review clock is read from: the application's type, status, submission and history. */
export async function clockInputs(tx: Tx, id: number) {
  const application = await tx<ApplicationRow>('applications')
    .where({ id })
    .first('permit_type', 'status', 'submitted_at');
  return application && { application, events: await history(tx, id) };
}

export async function setDecisionDue(tx: Tx, id: number, due: string | null): Promise<void> {
  await tx('applications').where({ id }).update({ decision_due_on: due });
}

/** The application with this id, locked for the rest of the transaction (for a status move). */
export async function lockApplication(tx: Tx, id: number): Promise<ApplicationRow | undefined> {
  return tx<ApplicationRow>('applications').where({ id }).forUpdate().first();
}

/** The application with this file number, locked for the rest of the transaction. */
export async function lockApplicationByNumber(tx: Tx, number: string): Promise<ApplicationRow | undefined> {
  return tx<ApplicationRow>('applications').where({ number }).forUpdate().first();
}

export async function addEvent(
  tx: Tx,
  event: {
    applicationId: number;
    actorUserId: number | null;
    actorName: string | null;
    event: string;
    from?: ApplicationStatus | null;
    to?: ApplicationStatus | null;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx('application_events').insert({
    application_id: event.applicationId,
    actor_user_id: event.actorUserId,
    actor_name: event.actorName,
    event: event.event,
    from_status: event.from ?? null,
    to_status: event.to ?? null,
    details: JSON.stringify(event.details ?? {}),
    occurred_at: new Date(),
  });
}

/** The next file number of the year ("CON-2026-000123"), gapless (db/counters.ts). */
export async function nextNumber(tx: Tx, year: number): Promise<string> {
  return yearlyNumber('CON', year, await nextInYear(tx, 'application_counters', year));
}
