import type { Db } from '../../src/db/knex';
import type { Ledger } from './journeys';
import type { Delivered } from './mail-sink';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

/** Rows a query finds that should not exist: the check passes when there are none. */
async function none(db: Db, name: string, sql: string): Promise<Check> {
  const { rows } = await db.raw<{ rows: Record<string, unknown>[] }>(sql);
  return {
    name,
    ok: rows.length === 0,
    detail: rows.length ? `${rows.length}, e.g. ${JSON.stringify(rows.slice(0, 3))}` : '0',
  };
}

/**
 * The database after the load: the rules every change must leave true, whatever was interrupted.
 * Each query lists what breaks its rule.
 */
export async function databaseChecks(db: Db): Promise<Check[]> {
  return Promise.all([
    none(
      db,
      'every company has a manager',
      `SELECT c.id FROM companies c
        WHERE EXISTS (SELECT 1 FROM company_events e WHERE e.company_id = c.id AND e.event = 'created')
          AND NOT EXISTS (SELECT 1 FROM company_members m WHERE m.company_id = c.id AND m.can_manage)`,
    ),
    none(
      db,
      'every company created has its creator as a member and its history entry',
      `SELECT c.id FROM companies c
        WHERE NOT EXISTS (SELECT 1 FROM company_members m WHERE m.company_id = c.id)
           OR NOT EXISTS (SELECT 1 FROM company_events e WHERE e.company_id = c.id AND e.event IN ('created', 'claimed'))`,
    ),
    none(
      db,
      'every application number unique',
      `SELECT number, count(*) FROM applications WHERE number IS NOT NULL GROUP BY number HAVING count(*) > 1`,
    ),
    none(
      db,
      'application numbers without gaps, per year',
      `SELECT y, count(*) AS numbers, max(n) AS highest FROM (
         SELECT substr(number, 5, 4) AS y, substr(number, 10)::int AS n FROM applications WHERE number IS NOT NULL
       ) s GROUP BY y HAVING count(*) <> max(n)`,
    ),
    none(
      db,
      'every submitted application has its history entry',
      `SELECT a.number FROM applications a
        WHERE a.status <> 'draft'
          AND NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = a.id)`,
    ),
    none(
      db,
      'every withdrawal request has its history entry',
      `SELECT w.id FROM withdrawal_requests w
        WHERE NOT EXISTS (SELECT 1 FROM application_events e
                           WHERE e.application_id = w.application_id AND e.event = 'withdrawal_requested')`,
    ),
    none(
      db,
      '"withdrawal requested" flag matches a pending request',
      `SELECT a.number FROM applications a
        WHERE a.withdrawal_pending <> EXISTS (
          SELECT 1 FROM withdrawal_requests w WHERE w.application_id = a.id AND w.status = 'pending')`,
    ),
    none(
      db,
      'every approved withdrawal has its application withdrawn and its history entry',
      `SELECT w.id FROM withdrawal_requests w JOIN applications a ON a.id = w.application_id
        WHERE w.status = 'approved'
          AND (a.status <> 'withdrawn'
               OR NOT EXISTS (SELECT 1 FROM application_events e WHERE e.application_id = a.id AND e.event = 'withdrawn'))`,
    ),
    none(
      db,
      'every member has the history entry of their joining',
      `SELECT m.company_id, m.user_id FROM company_members m
        WHERE NOT EXISTS (SELECT 1 FROM company_events e WHERE e.company_id = m.company_id
                            AND e.subject_user_id = m.user_id AND e.event IN ('created', 'claimed', 'joined'))
          AND NOT EXISTS (SELECT 1 FROM company_events e WHERE e.company_id = m.company_id
                            AND e.actor_user_id = m.user_id AND e.event IN ('created', 'claimed'))`,
    ),
    none(
      db,
      'every registered person is an active account',
      `SELECT p.user_id FROM profiles p JOIN users u ON u.id = p.user_id WHERE u.status <> 'active'`,
    ),
    none(
      db,
      'every paid fee has exactly one payment',
      `SELECT f.id FROM fees f
        WHERE f.status = 'paid'
          AND (SELECT count(*) FROM payment_fees pf JOIN payments p ON p.id = pf.payment_id
                WHERE pf.fee_id = f.id AND p.status = 'paid') <> 1`,
    ),
    none(
      db,
      'every receipt adds up (its payment, the fees it lists, their amounts)',
      `SELECT p.id FROM payments p
        WHERE p.status = 'paid'
          AND (p.receipt_number IS NULL
               OR p.amount_cents <> (SELECT sum(pf.amount_cents) FROM payment_fees pf WHERE pf.payment_id = p.id)
               OR p.amount_cents <> (SELECT sum(f.amount_cents) FROM payment_fees pf JOIN fees f ON f.id = pf.fee_id
                                      WHERE pf.payment_id = p.id AND f.paid_by_payment_id = p.id))`,
    ),
    none(
      db,
      'no refund exceeds its payment',
      `SELECT p.id FROM payments p
        WHERE (SELECT coalesce(sum(r.amount_cents), 0) FROM refunds r
                WHERE r.payment_id = p.id AND r.status <> 'failed') > p.amount_cents`,
    ),
    none(
      db,
      'no application left at Paiement exigible with every fee paid',
      `SELECT a.number FROM applications a
        WHERE a.status = 'payment_due' AND NOT EXISTS (SELECT 1 FROM fees f WHERE f.application_id = a.id AND f.status = 'due')`,
    ),
    none(
      db,
      'no email left unsent in the queue',
      `SELECT id, attempts, last_error FROM graphile_worker.jobs`,
    ),
  ]);
}

/** Each change the simulated users were told was made is in the database (no committed change lost). */
export async function ledgerChecks(db: Db, ledger: Ledger): Promise<Check[]> {
  const missing = async (name: string, wanted: string[], sql: string): Promise<Check> => {
    const { rows } = await db.raw<{ rows: { key: string }[] }>(sql, [wanted]);
    const found = new Set(rows.map((r) => r.key));
    const lost = wanted.filter((key) => !found.has(key));
    return {
      name,
      ok: lost.length === 0,
      detail: `${wanted.length} told, ${lost.length} missing ${lost.slice(0, 3).join(' ')}`,
    };
  };
  /** Memberships (company and person) that must exist, and hold `condition`. */
  const members = (name: string, wanted: { companyId: number; email: string }[], condition: string) =>
    missing(
      name,
      wanted.map((w) => `${w.companyId} ${w.email}`),
      `SELECT m.company_id || ' ' || u.email AS key FROM company_members m JOIN users u ON u.id = m.user_id
        WHERE ${condition} AND m.company_id || ' ' || u.email = ANY(?)`,
    );
  return Promise.all([
    missing(
      'accounts activated',
      ledger.activated,
      `SELECT email AS key FROM users WHERE email = ANY(?) AND status = 'active'`,
    ),
    missing(
      'registrations',
      ledger.registered,
      `SELECT u.email AS key FROM users u JOIN profiles p ON p.user_id = u.id WHERE u.email = ANY(?)`,
    ),
    members(
      'companies and their manager',
      ledger.companies.map((c) => ({ companyId: c.id, email: c.manager })),
      'm.can_manage',
    ),
    members('members joined', ledger.joined, 'true'),
    members('permissions granted', ledger.granted, 'm.can_submit'),
    missing(
      'applications submitted',
      ledger.applications.map((a) => a.number),
      `SELECT number AS key FROM applications WHERE number = ANY(?) AND status <> 'draft'`,
    ),
    missing(
      'withdrawals requested',
      ledger.withdrawalsRequested,
      `SELECT DISTINCT a.number AS key FROM withdrawal_requests w JOIN applications a ON a.id = w.application_id
        WHERE a.number = ANY(?)`,
    ),
    missing(
      'fees paid',
      ledger.paid,
      `SELECT a.number AS key FROM applications a
        WHERE a.number = ANY(?)
          AND EXISTS (SELECT 1 FROM fees f WHERE f.application_id = a.id AND f.status = 'paid')
          AND NOT EXISTS (SELECT 1 FROM fees f WHERE f.application_id = a.id AND f.status = 'due')`,
    ),
    missing(
      'withdrawals approved',
      ledger.withdrawalsApproved,
      `SELECT a.number AS key FROM applications a
        JOIN withdrawal_requests w ON w.application_id = a.id AND w.status = 'approved'
        WHERE a.number = ANY(?) AND a.status = 'withdrawn'`,
    ),
  ]);
}

/**
 * The emails the committed changes call for, read from the database, against what the SMTP server
 * received: each exactly once (same recipient and template), and no Message-ID received twice.
 */
export async function emailChecks(db: Db, delivered: Delivered[]): Promise<Check[]> {
  const { rows } = await db.raw<{ rows: { to: string; template: string }[] }>(`
    SELECT email AS "to", 'activation' AS template FROM users WHERE role = 'client'
    UNION ALL
    SELECT mu.email, 'companyMemberJoined' FROM company_events e
      JOIN company_members m ON m.company_id = e.company_id AND m.can_manage
      JOIN users mu ON mu.id = m.user_id
     WHERE e.event = 'joined'
    UNION ALL
    SELECT u.email, 'companyAccessChanged' FROM company_events e JOIN users u ON u.id = e.subject_user_id
     WHERE e.event = 'granted'
    UNION ALL
    SELECT u.email, 'withdrawalRequested' FROM withdrawal_requests w JOIN users u ON u.id = w.requested_by
     WHERE NOT 'withdrawal' = ANY(u.email_opt_outs)
    UNION ALL
    SELECT u.email, CASE w.status WHEN 'approved' THEN 'withdrawalApproved' ELSE 'withdrawalRefused' END
      FROM withdrawal_requests w JOIN users u ON u.id = w.requested_by WHERE w.status IN ('approved', 'refused')
    UNION ALL
    -- Review started and fees assessed, on the load's own applications (their applicant alone is told).
    SELECT u.email, CASE e.event WHEN 'review_started' THEN 'statusChanged' ELSE 'feesAssessed' END
      FROM application_events e JOIN applications a ON a.id = e.application_id
      JOIN users u ON u.id = a.applicant_user_id
     WHERE e.event IN ('review_started', 'fees_assessed')
    UNION ALL
    -- Each submission's receipt, to the person who submitted it.
    SELECT u.email, 'applicationSubmitted' FROM application_events e JOIN users u ON u.id = e.actor_user_id
     WHERE e.event = 'submitted' AND NOT 'status' = ANY(u.email_opt_outs)
    UNION ALL
    SELECT u.email, 'receipt' FROM payments p JOIN users u ON u.id = p.payer_user_id WHERE p.status = 'paid'`);
  const count = (list: { to: string; template: string }[]) => {
    const counts = new Map<string, number>();
    for (const { to, template } of list)
      counts.set(`${template} ${to}`, (counts.get(`${template} ${to}`) ?? 0) + 1);
    return counts;
  };
  const expected = count(rows);
  // A copy sent again after a crash carries the Message-ID of the first: one message, as mail systems see it.
  const messages = [...new Map(delivered.map((mail) => [mail.messageId, mail])).values()];
  const received = count(messages);
  const missing: string[] = [];
  const extra: string[] = [];
  for (const [key, n] of expected) if ((received.get(key) ?? 0) < n) missing.push(key);
  for (const [key, n] of received) if (n > (expected.get(key) ?? 0)) extra.push(key);
  return [
    {
      name: 'every email called for was delivered',
      ok: missing.length === 0,
      detail: `${rows.length} called for, ${messages.length} delivered, ${missing.length} missing ${missing.slice(0, 3).join('; ')}`,
    },
    {
      name: 'no email delivered twice or unasked',
      ok: extra.length === 0,
      detail: `${extra.length} unasked or twice ${extra.slice(0, 3).join('; ')}; ${delivered.length - messages.length} copies resent with the same Message-ID`,
    },
  ];
}
