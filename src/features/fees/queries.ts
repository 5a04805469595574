import type { Db, Tx } from '../../db/knex';
import { Read } from '../../db/together';
import type { PermitType } from '../../domain/permit-types';
import { actableApplicationsSql, mayActFor } from '../applications/queries';

type Conn = Db | Tx;

export interface ScheduleRow {
  id: number;
  permit_type: PermitType;
  rate_cents_per_m2: number;
  flat_cents: number;
  minimum_cents: number;
  effective_from: string;
  reason: string;
  created_by_name: string;
  created_at: Date;
}

/** The fee table's line in force on this day for this permit type: the latest to take effect by then. */
export async function scheduleInForce(
  conn: Conn,
  type: string,
  day: string,
): Promise<ScheduleRow | undefined> {
  return conn('fee_schedules')
    .where('permit_type', type)
    .andWhere('effective_from', '<=', day)
    .orderBy([
      { column: 'effective_from', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .first();
}

/** Every line of the fee table, newest first per type (the table and its history). */
export async function schedules(db: Db): Promise<ScheduleRow[]> {
  return db('fee_schedules').orderBy([
    { column: 'permit_type' },
    { column: 'effective_from', order: 'desc' },
    { column: 'id', order: 'desc' },
  ]);
}

export async function insertSchedule(
  db: Db,
  line: {
    permitType: string;
    rateCentsPerM2: number;
    flatCents: number;
    minimumCents: number;
    effectiveFrom: string;
    reason: string;
    by: { userId: number | null; name: string };
  },
): Promise<void> {
  await db('fee_schedules').insert({
    permit_type: line.permitType,
    rate_cents_per_m2: line.rateCentsPerM2,
    flat_cents: line.flatCents,
    minimum_cents: line.minimumCents,
    effective_from: line.effectiveFrom,
    reason: line.reason,
    created_by: line.by.userId,
    created_by_name: line.by.name,
  });
}

export interface FeeRow {
  id: number;
  application_id: number;
  kind: string;
  amount_cents: number;
  suggested_cents: number | null;
  reason: string;
  status: 'due' | 'paid' | 'cancelled';
  assessed_at: Date;
  receipt_number: string | null;
}

/** An application's fees, each with the receipt of the payment that paid it. */
export function feesOf(conn: Conn, applicationId: number): Read<FeeRow[]> {
  return Read.of(
    conn('fees as f')
      .leftJoin('payments as p', 'p.id', 'f.paid_by_payment_id')
      .where('f.application_id', applicationId)
      .orderBy('f.id')
      .select('f.*', 'p.receipt_number'),
  );
}

export async function insertFee(
  tx: Tx,
  fee: {
    applicationId: number;
    amountCents: number;
    suggestedCents: number | null;
    scheduleId: number | null;
    reason: string;
    assessedBy: number;
  },
): Promise<void> {
  await tx('fees').insert({
    application_id: fee.applicationId,
    amount_cents: fee.amountCents,
    suggested_cents: fee.suggestedCents,
    schedule_id: fee.scheduleId,
    reason: fee.reason,
    assessed_by: fee.assessedBy,
  });
}

/** Staff take the assessment back (Reprendre l'examen from Paiement exigible): its unpaid fees go. */
export async function cancelDueFees(tx: Tx, applicationId: number): Promise<void> {
  await tx('fees').where({ application_id: applicationId, status: 'due' }).update({ status: 'cancelled' });
}

/**
 * The applications whose fees this person may pay, defined here alone: their own; those of the earlier
 * client records linked to them; those of companies where they hold Payer or Gérer. Only applications
 * at Paiement exigible, each source read by its own partial index. `userId` is a SQL expression.
 */
export function payableApplicationsSql(userId: string): string {
  return actableApplicationsSql(userId, 'pay', 'payment_due');
}

/**
 * Whether this person may pay (and so see the fees and receipts of) this application, by the same rule
 * as payableApplicationsSql, whatever its status: its applicant, the person linked to its earlier client
 * record, a member of its company with Payer or Gérer.
 */
export function mayPayFor(conn: Conn, userId: number, applicationIds: readonly number[]): Promise<boolean> {
  return mayActFor(conn, userId, applicationIds, 'pay');
}

/** "Frais impayés": how many fees this person may pay (also read with the session, for the top bar). */
export function unpaidCountSql(userId: string): string {
  return `(SELECT count(*) FROM fees WHERE status = 'due'
             AND application_id IN (${payableApplicationsSql(userId)})) AS unpaid`;
}

export interface PayableFee {
  id: number;
  amount_cents: number;
  kind: string;
  assessed_at: Date;
  application_id: number;
  number: string;
  permit_type: string;
  street_number: string;
  street_name: string;
  unit: string | null;
  city: string;
  applicant_name: string;
}

/** The fees this person may pay, oldest first. */
export async function payableFees(conn: Conn, userId: number): Promise<PayableFee[]> {
  const { rows } = await conn.raw<{ rows: PayableFee[] }>(
    `SELECT f.id, f.amount_cents, f.kind, f.assessed_at, a.id AS application_id, a.number, a.permit_type,
            a.street_number, a.street_name, a.unit, a.city, a.applicant_name
       FROM fees f JOIN applications a ON a.id = f.application_id
      WHERE f.status = 'due' AND f.application_id IN (${payableApplicationsSql('?')})
      ORDER BY f.assessed_at, f.id`,
    [userId, userId, userId],
  );
  return rows;
}

export interface CompanyFee extends PayableFee {
  status: 'due' | 'paid';
  receipt_number: string | null;
}

/** "Droits et paiements": a company's fees due and paid, newest first (its applications by their index). */
export async function companyFees(conn: Conn, companyId: number): Promise<CompanyFee[]> {
  return conn('fees as f')
    .join('applications as a', 'a.id', 'f.application_id')
    .leftJoin('payments as p', 'p.id', 'f.paid_by_payment_id')
    .where('a.company_id', companyId)
    .whereIn('f.status', ['due', 'paid'])
    .orderBy([
      { column: 'f.assessed_at', order: 'desc' },
      { column: 'f.id', order: 'desc' },
    ])
    .limit(200)
    .select(
      'f.id',
      'f.amount_cents',
      'f.kind',
      'f.assessed_at',
      'f.status',
      'p.receipt_number',
      'a.id as application_id',
      'a.number',
      'a.permit_type',
      'a.street_number',
      'a.street_name',
      'a.unit',
      'a.city',
      'a.applicant_name',
    );
}

/** An application's refunds, for its page ("Remboursement"). */
export interface RefundSummary {
  id: number;
  amount_cents: number;
  status: string;
  created_at: Date;
}

export function refundsOf(conn: Conn, applicationId: number): Read<RefundSummary[]> {
  return Read.of(
    conn('refunds')
      .where({ application_id: applicationId })
      .orderBy('id')
      .select('id', 'amount_cents', 'status', 'created_at'),
  );
}
