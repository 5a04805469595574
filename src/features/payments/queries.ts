import { nextInYear, yearlyNumber } from '../../db/counters';
import type { Db, Tx } from '../../db/knex';

type Conn = Db | Tx;

export interface PaymentRow {
  id: number;
  payer_user_id: number | null;
  payer_name: string;
  amount_cents: number;
  currency: string;
  provider: string;
  checkout_id: string | null;
  provider_payment_id: string | null;
  status: 'pending' | 'paid' | 'declined' | 'cancelled' | 'expired';
  receipt_number: string | null;
  created_at: Date;
  settled_at: Date | null;
}

const PAYMENT_COLUMNS = [
  'id',
  'payer_user_id',
  'payer_name',
  'amount_cents',
  'currency',
  'provider',
  'checkout_id',
  'provider_payment_id',
  'status',
  'receipt_number',
  'created_at',
  'settled_at',
];

export interface HeldFee {
  id: number;
  application_id: number;
  amount_cents: number;
  status: 'due' | 'paid' | 'cancelled';
  held_by_payment_id: number | null;
  /** The status of the payment holding it, if any. */
  holder_status: string | null;
}

/** Locks the applications (by id, in order: the lock order of db/knex.ts), then returns nothing. */
export async function lockApplications(tx: Tx, ids: readonly number[]): Promise<void> {
  if (ids.length)
    await tx('applications')
      .whereIn('id', [...ids])
      .orderBy('id')
      .forUpdate()
      .select('id');
}

/** The fees, locked in id order, with the status of any payment holding them. */
export async function lockFees(tx: Tx, ids: readonly number[]): Promise<HeldFee[]> {
  const fees: Omit<HeldFee, 'holder_status'>[] = await tx('fees')
    .whereIn('id', [...ids])
    .orderBy('id')
    .forUpdate()
    .select('id', 'application_id', 'amount_cents', 'status', 'held_by_payment_id');
  const holders = fees.map((f) => f.held_by_payment_id).filter((id): id is number => id !== null);
  const statuses = new Map<number, string>(
    holders.length
      ? (await tx('payments').whereIn('id', holders).select('id', 'status')).map((p) => [p.id, p.status])
      : [],
  );
  return fees.map((f) => ({
    ...f,
    holder_status: f.held_by_payment_id === null ? null : (statuses.get(f.held_by_payment_id) ?? null),
  }));
}

export async function applicationsOfFees(conn: Conn, feeIds: readonly number[]): Promise<number[]> {
  return conn('fees')
    .whereIn('id', [...feeIds])
    .distinct('application_id')
    .pluck('application_id');
}

export async function insertPayment(
  tx: Tx,
  payment: {
    payerUserId: number;
    payerName: string;
    provider: string;
    fees: { id: number; amount_cents: number }[];
  },
): Promise<number> {
  const amount = payment.fees.reduce((sum, f) => sum + f.amount_cents, 0);
  const [row] = await tx('payments')
    .insert({
      payer_user_id: payment.payerUserId,
      payer_name: payment.payerName,
      amount_cents: amount,
      provider: payment.provider,
    })
    .returning('id');
  await tx('payment_fees').insert(
    payment.fees.map((f) => ({ payment_id: row.id, fee_id: f.id, amount_cents: f.amount_cents })),
  );
  await tx('fees')
    .whereIn(
      'id',
      payment.fees.map((f) => f.id),
    )
    .update({ held_by_payment_id: row.id });
  return row.id;
}

export async function addPaymentEvent(
  conn: Conn,
  paymentId: number,
  event: string,
  details: Record<string, unknown> = {},
): Promise<void> {
  await conn('payment_events').insert({ payment_id: paymentId, event, details: JSON.stringify(details) });
}

export async function setCheckout(db: Db, paymentId: number, checkoutId: string): Promise<void> {
  await db('payments').where({ id: paymentId }).update({ checkout_id: checkoutId });
}

export async function paymentByCheckout(conn: Conn, checkoutId: string): Promise<PaymentRow | undefined> {
  return conn('payments').where({ checkout_id: checkoutId }).first(PAYMENT_COLUMNS);
}

export async function lockPayment(tx: Tx, id: number): Promise<PaymentRow> {
  return tx('payments').where({ id }).forUpdate().first(PAYMENT_COLUMNS);
}

export async function feeIdsOf(conn: Conn, paymentId: number): Promise<number[]> {
  return conn('payment_fees').where({ payment_id: paymentId }).orderBy('fee_id').pluck('fee_id');
}

/** The next receipt number of the year ("REC-2026-000001"), gapless like file numbers. */
export async function nextReceiptNumber(tx: Tx, year: number): Promise<string> {
  return yearlyNumber('REC', year, await nextInYear(tx, 'receipt_counters', year));
}

export async function markPaid(
  tx: Tx,
  payment: { id: number; receiptNumber: string; receiptPdf: Buffer; providerPaymentId?: string },
  feeIds: readonly number[],
): Promise<void> {
  await tx('fees')
    .whereIn('id', [...feeIds])
    .update({ status: 'paid', paid_by_payment_id: payment.id, held_by_payment_id: null });
  await tx('payments')
    .where({ id: payment.id })
    .update({
      status: 'paid',
      receipt_number: payment.receiptNumber,
      receipt_pdf: payment.receiptPdf,
      provider_payment_id: payment.providerPaymentId ?? null,
      settled_at: tx.fn.now(),
    });
}

/** A checkout that ended without paying: its fees are free to be paid again. */
export async function markUnpaid(tx: Tx, paymentId: number, status: 'declined' | 'cancelled' | 'expired') {
  await tx('fees').where({ held_by_payment_id: paymentId }).update({ held_by_payment_id: null });
  await tx('payments').where({ id: paymentId }).update({ status, settled_at: tx.fn.now() });
}

export async function dueFeeCount(tx: Tx, applicationId: number): Promise<number> {
  const row = await tx('fees')
    .where({ application_id: applicationId, status: 'due' })
    .count<{ n: string }>('* as n')
    .first();
  return Number(row?.n ?? 0);
}

/** What a receipt lists: each fee paid, with its application. */
export async function receiptLines(conn: Conn, paymentId: number) {
  return conn('payment_fees as pf')
    .join('fees as f', 'f.id', 'pf.fee_id')
    .join('applications as a', 'a.id', 'f.application_id')
    .where('pf.payment_id', paymentId)
    .orderBy('f.id')
    .select(
      'f.id',
      'f.kind',
      'pf.amount_cents',
      'a.id as application_id',
      'a.number',
      'a.street_number',
      'a.street_name',
      'a.unit',
      'a.city',
      'a.applicant_user_id',
      'a.client_record_id',
      'a.company_id',
    );
}

export async function paymentById(conn: Conn, id: number): Promise<PaymentRow | undefined> {
  return conn('payments').where({ id }).first(PAYMENT_COLUMNS);
}

export async function receiptByNumber(conn: Conn, number: string) {
  return conn('payments')
    .where({ receipt_number: number })
    .first('id', 'payer_user_id', 'receipt_number', 'receipt_pdf');
}

/** The payers and their locales, for the receipt's email. */
export async function payer(conn: Conn, userId: number) {
  return conn('users').where({ id: userId }).first('id', 'email', 'locale');
}

export interface RefundSource {
  paymentId: number;
  providerPaymentId: string | null;
  /** What this payment paid for the application's fees, less what was refunded of it. */
  refundableCents: number;
}

/** The payments an application's fees were paid by, oldest first, each with what it can still give back. */
export async function refundSources(conn: Conn, applicationId: number): Promise<RefundSource[]> {
  const { rows } = await conn.raw<{ rows: RefundSource[] }>(
    `SELECT p.id AS "paymentId", p.provider_payment_id AS "providerPaymentId",
            (sum(pf.amount_cents) - coalesce((SELECT sum(r.amount_cents) FROM refunds r
               WHERE r.payment_id = p.id AND r.application_id = ? AND r.status <> 'failed'), 0))::int
              AS "refundableCents"
       FROM payments p
       JOIN payment_fees pf ON pf.payment_id = p.id
       JOIN fees f ON f.id = pf.fee_id AND f.application_id = ?
      WHERE p.status = 'paid'
      GROUP BY p.id
      ORDER BY p.id`,
    [applicationId, applicationId],
  );
  return rows;
}

export async function insertRefund(
  tx: Tx,
  refund: { paymentId: number; applicationId: number; withdrawalRequestId: number; amountCents: number },
): Promise<number> {
  const [row] = await tx('refunds')
    .insert({
      payment_id: refund.paymentId,
      application_id: refund.applicationId,
      withdrawal_request_id: refund.withdrawalRequestId,
      amount_cents: refund.amountCents,
    })
    .returning('id');
  return row.id;
}

export async function pendingRefunds(db: Db, withdrawalRequestId: number) {
  return db('refunds as r')
    .join('payments as p', 'p.id', 'r.payment_id')
    .where({ 'r.withdrawal_request_id': withdrawalRequestId, 'r.status': 'pending' })
    .select('r.id', 'r.payment_id', 'r.amount_cents', 'p.provider_payment_id');
}

export async function settleRefund(
  db: Db,
  id: number,
  outcome: { status: 'done'; providerRefundId: string } | { status: 'failed'; reason: string },
): Promise<void> {
  await db.transaction(async (tx) => {
    const refund = await tx('refunds')
      .where({ id, status: 'pending' })
      .update({
        status: outcome.status,
        provider_refund_id: outcome.status === 'done' ? outcome.providerRefundId : null,
        settled_at: tx.fn.now(),
      })
      .returning(['payment_id', 'amount_cents']);
    if (refund[0])
      await addPaymentEvent(
        tx,
        refund[0].payment_id,
        outcome.status === 'done' ? 'refunded' : 'refund_failed',
        {
          refundId: id,
          amountCents: refund[0].amount_cents,
          ...(outcome.status === 'failed' ? { reason: outcome.reason } : {}),
        },
      );
  });
}

/** The events that need a person (staff's "Paiements à vérifier"), newest first, by a partial index. */
export async function needingAttention(db: Db) {
  return db('payment_events as e')
    .join('payments as p', 'p.id', 'e.payment_id')
    .whereIn('e.event', ['overpaid', 'mismatch', 'refund_failed'])
    .orderBy('e.id', 'desc')
    .limit(100)
    .select(
      'e.id',
      'e.event',
      'e.occurred_at',
      'p.id as payment_id',
      'p.amount_cents',
      'p.payer_name',
      'p.status',
      'p.receipt_number',
      'p.provider',
    );
}
