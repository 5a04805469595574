import type { Knex } from 'knex';
import type { Db } from '../../db/knex';

export interface AuditFilter {
  actor?: string;
  subject?: string;
  event?: string;
  from?: Date;
  to?: Date;
}

export interface AuditRow {
  id: number;
  occurred_at: Date;
  event: string;
  actor_email: string | null;
  subject_email: string | null;
  ip: string | null;
  details: Record<string, unknown>;
  /** The company or application the details point at, by name and number (not an id). */
  company_name: string | null;
  application_number: string | null;
}

/** The audit log, newest first, filtered by who acted, on whom, what and when (at most 200 rows). */
export function auditLog(db: Db, filter: AuditFilter): Knex.QueryBuilder<AuditRow, AuditRow[]> {
  const query = db('audit_events as e')
    .leftJoin('users as actor', 'actor.id', 'e.actor_user_id')
    .leftJoin('users as subject', 'subject.id', 'e.subject_user_id')
    // At most 200 rows, each joined by primary key.
    .leftJoin('companies as c', 'c.id', db.raw(`(e.details->>'companyId')::bigint`))
    .leftJoin(
      'applications as app',
      'app.id',
      db.raw(`coalesce(e.details->>'applicationId', e.details->>'application_id')::bigint`),
    )
    .select(
      'e.id',
      'e.occurred_at',
      'e.event',
      // Shown as typed by people: 203.0.113.5, not the IPv4-mapped ::ffff:203.0.113.5 of older rows.
      db.raw(`regexp_replace(host(e.ip), '^::ffff:([0-9.]+)$', '\\1') AS ip`),
      'e.details',
      'actor.email as actor_email',
      'subject.email as subject_email',
      'c.legal_name as company_name',
      'app.number as application_number',
    )
    .orderBy('e.occurred_at', 'desc')
    .limit(200);
  // "= (SELECT …)", not "IN (SELECT …)": PostgreSQL then knows it looks for one account and reads its
  // events newest first from (actor_user_id, occurred_at), stopping at 200; with IN it joined, read
  // every event of the account and sorted them (a busy one has hundreds of thousands).
  if (filter.actor)
    void query.where(
      'e.actor_user_id',
      db('users').select('id').where({ email: filter.actor.toLowerCase() }),
    );
  if (filter.subject)
    void query.where(
      'e.subject_user_id',
      db('users').select('id').where({ email: filter.subject.toLowerCase() }),
    );
  if (filter.event) void query.where('e.event', filter.event);
  if (filter.from) void query.where('e.occurred_at', '>=', filter.from);
  if (filter.to) void query.where('e.occurred_at', '<', filter.to);
  return query as unknown as Knex.QueryBuilder<AuditRow, AuditRow[]>;
}
