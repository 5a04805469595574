import type { i18n } from 'i18next';
import type { Logger } from 'pino';
import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import { totalCents } from '../../domain/fees';
import { allocateRefund, REFUND_PERCENT, stageReached, suggestedRefund } from '../../domain/refunds';
import { cityYear, formatLocation } from '../../domain/formatting';
import type { Lang } from '../../i18n/i18n';
import type { MailQueue } from '../../mail/queue';
import type { Mover, MoveStatus } from '../applications/lifecycle';
import { lockApplication } from '../applications/queries';
import { mayPayFor, payableFees } from '../fees/queries';
import { InvalidNotification, type CheckoutReport, type PaymentProvider } from './provider';
import * as q from './queries';
import { renderReceiptPdf } from './receipt';

export type StartResult =
  { ok: true; url: string } | { ok: false; reason: 'none' | 'notPayable' | 'inProgress' };

export type SettleResult = 'paid' | 'unpaid' | 'duplicate' | 'unknown' | 'mismatch' | 'overpaid';

/**
 * Paying fees (J9): one payment for the fees a person ticks, through the provider's hosted page; the
 * provider's word — a signed notification, or its answer when the browser comes back, in either order,
 * late or twice — settles it once. Locks follow db/knex.ts: applications, then fees, then the payment.
 */
export function paymentsService(deps: {
  db: Db;
  provider: PaymentProvider;
  moveStatus: MoveStatus;
  mail: MailQueue;
  i18n: i18n;
  logger?: Logger;
  /** Where the provider sends the browser back, in the payer's language. */
  returnUrl: (lang: Lang) => string;
}) {
  const { db, provider, moveStatus, mail } = deps;

  /** Records the provider's word on a checkout, once; anything else (a repeat, a mismatch) changes nothing. */
  async function settle(report: CheckoutReport): Promise<SettleResult> {
    const found = await q.paymentByCheckout(db, report.checkoutId);
    if (!found) {
      deps.logger?.warn({ checkoutId: report.checkoutId }, 'payment report for an unknown checkout');
      return 'unknown';
    }
    return inTransaction(db, async (tx) => {
      const feeIds = await q.feeIdsOf(tx, found.id);
      const applicationIds = await q.applicationsOfFees(tx, feeIds);
      await q.lockApplications(tx, applicationIds);
      const fees = await q.lockFees(tx, feeIds);
      const payment = await q.lockPayment(tx, found.id);
      if (
        report.reference !== String(payment.id) ||
        report.amountCents !== payment.amount_cents ||
        report.currency.toUpperCase() !== payment.currency
      ) {
        await q.addPaymentEvent(tx, payment.id, 'mismatch', { report });
        await recordAudit(tx, { event: 'payment.mismatch', details: { paymentId: payment.id, report } });
        deps.logger?.warn({ paymentId: payment.id, report }, 'payment report does not match its checkout');
        return 'mismatch';
      }
      if (payment.status === 'paid') return 'duplicate';
      if (report.outcome !== 'paid') {
        if (payment.status !== 'pending') return 'duplicate';
        await q.markUnpaid(tx, payment.id, report.outcome);
        await q.addPaymentEvent(tx, payment.id, report.outcome);
        return 'unpaid';
      }
      // Paid. Fees paid meanwhile by another payment (this checkout had expired and another started)
      // are not paid twice: the payment is recorded for staff to refund.
      if (
        fees.some(
          (f) =>
            f.status !== 'due' ||
            (f.held_by_payment_id !== null &&
              f.held_by_payment_id !== payment.id &&
              f.holder_status === 'pending'),
        )
      ) {
        await q.addPaymentEvent(tx, payment.id, 'overpaid', { report });
        await recordAudit(tx, {
          event: 'payment.mismatch',
          details: { paymentId: payment.id, overpaid: true },
        });
        return 'overpaid';
      }
      const receiptNumber = await q.nextReceiptNumber(tx, cityYear(new Date()));
      const lines = await q.receiptLines(tx, payment.id);
      const receiptPdf = await renderReceiptPdf(deps.i18n, {
        receiptNumber,
        paidAt: new Date(),
        payerName: payment.payer_name,
        lines: lines.map((l) => ({
          number: l.number,
          address: formatLocation(l),
          kindKey: `kinds.${l.kind}`,
          amountCents: l.amount_cents,
        })),
        totalCents: totalCents(lines.map((l) => l.amount_cents)),
      });
      await q.markPaid(
        tx,
        { id: payment.id, receiptNumber, receiptPdf, providerPaymentId: report.providerPaymentId },
        feeIds,
      );
      await q.addPaymentEvent(tx, payment.id, 'paid', { receiptNumber });
      // The payer's account exists: accounts are never deleted while they have payments.
      const by: Mover = { userId: payment.payer_user_id!, name: payment.payer_name };
      for (const applicationId of applicationIds) {
        if ((await q.dueFeeCount(tx, applicationId)) > 0) continue;
        const application = (await lockApplication(tx, applicationId))!;
        if (application.status !== 'payment_due') continue;
        await moveStatus(tx, {
          application,
          to: 'in_review',
          side: 'applicant',
          by,
          event: 'fees_paid',
          details: { receiptNumber },
        });
      }
      const person = payment.payer_user_id ? await q.payer(tx, payment.payer_user_id) : undefined;
      if (person)
        await mail.enqueue(tx, {
          template: 'receipt',
          to: person.email,
          lang: person.locale as Lang,
          params: { receipt: receiptNumber, feeCents: String(payment.amount_cents) },
          link: { page: 'unpaidFees' },
          attachments: [
            {
              filename: `${receiptNumber}.pdf`,
              contentType: 'application/pdf',
              content: receiptPdf.toString('base64'),
            },
          ],
        });
      return 'paid';
    });
  }

  return {
    provider,
    settle,

    /**
     * What a withdrawal could refund: what the application's fees paid, what is left to refund, the
     * stage it reached and the refund table's suggestion (domain/refunds.ts).
     */
    async refundQuote(applicationId: number, events: readonly string[]) {
      const sources = await q.refundSources(db, applicationId);
      const refundableCents = totalCents(sources.map((s) => s.refundableCents));
      const stage = stageReached(events);
      return {
        refundableCents,
        stage,
        percent: REFUND_PERCENT[stage],
        suggestedCents: suggestedRefund(refundableCents, stage),
      };
    },

    /**
     * In the decision's transaction: the refund split over the payments it comes from, written pending.
     * More than can be refunded is refused, and nothing is written.
     */
    async planRefund(
      tx: Tx,
      applicationId: number,
      withdrawalRequestId: number,
      amountCents: number | 'all',
    ) {
      const sources = await q.refundSources(tx, applicationId);
      const amount = amountCents === 'all' ? totalCents(sources.map((s) => s.refundableCents)) : amountCents;
      if (amount === 0 && amountCents === 'all') return 0;
      const split = allocateRefund(sources, amount);
      if (!split) return undefined;
      for (const part of split)
        await q.insertRefund(tx, {
          paymentId: part.paymentId,
          applicationId,
          withdrawalRequestId,
          amountCents: part.cents,
        });
      return amount;
    },

    /** After the decision is committed: each pending refund asked of the provider, then done or failed. */
    async executeRefunds(withdrawalRequestId: number): Promise<void> {
      for (const refund of await q.pendingRefunds(db, withdrawalRequestId)) {
        try {
          const providerRefundId = await provider.refund({
            providerPaymentId: refund.provider_payment_id ?? '',
            amountCents: refund.amount_cents,
            reference: `refund-${refund.id}`,
          });
          await q.settleRefund(db, refund.id, { status: 'done', providerRefundId });
        } catch (error) {
          deps.logger?.error({ refundId: refund.id, reason: (error as Error).message }, 'refund failed');
          await q.settleRefund(db, refund.id, { status: 'failed', reason: (error as Error).message });
        }
      }
    },

    /** A notification from the provider: its signature checked, then settled; a bad one is audited and refused. */
    async receiveNotification(
      body: Buffer,
      headers: Record<string, string | string[] | undefined>,
      ip?: string,
    ): Promise<SettleResult | 'ignored'> {
      let report: CheckoutReport | undefined;
      try {
        report = provider.verifyNotification(body, headers);
      } catch (error) {
        if (error instanceof InvalidNotification)
          await recordAudit(db, {
            event: 'payment.notification_refused',
            ip,
            details: { reason: error.message },
          });
        throw error;
      }
      return report ? settle(report) : 'ignored';
    },

    /**
     * Starts paying the ticked fees: only fees this person may pay, none already being paid. The fees
     * are held by the new payment (in one transaction) before the provider is asked for its page.
     */
    async start(payer: Mover, feeIds: readonly number[], lang: Lang): Promise<StartResult> {
      if (!feeIds.length) return { ok: false, reason: 'none' };
      const started = await inTransaction(db, async (tx): Promise<StartResult | number> => {
        const payable = new Set((await payableFees(tx, payer.userId!)).map((f) => f.id));
        if (feeIds.some((id) => !payable.has(id))) return { ok: false, reason: 'notPayable' };
        await q.lockApplications(tx, await q.applicationsOfFees(tx, feeIds));
        const fees = await q.lockFees(tx, feeIds);
        if (fees.some((f) => f.status !== 'due')) return { ok: false, reason: 'notPayable' };
        if (fees.some((f) => f.holder_status === 'pending')) return { ok: false, reason: 'inProgress' };
        const paymentId = await q.insertPayment(tx, {
          payerUserId: payer.userId!,
          payerName: payer.name!,
          provider: provider.name,
          fees,
        });
        await q.addPaymentEvent(tx, paymentId, 'created', { fees: feeIds });
        return paymentId;
      });
      if (typeof started !== 'number') return started;
      const payment = (await q.paymentById(db, started))!;
      try {
        const checkout = await provider.createCheckout({
          reference: String(payment.id),
          amountCents: payment.amount_cents,
          currency: 'CAD',
          description: `${deps.i18n.t('fees:checkoutDescription', { lng: lang })}`,
          returnUrl: deps.returnUrl(lang),
          lang,
        });
        await q.setCheckout(db, payment.id, checkout.checkoutId);
        return { ok: true, url: checkout.url };
      } catch (error) {
        // The provider could not open its page: the fees are free again, and the person is told.
        await inTransaction(db, async (tx) => {
          await q.markUnpaid(tx, payment.id, 'cancelled');
          await q.addPaymentEvent(tx, payment.id, 'provider_failed', { message: (error as Error).message });
        });
        throw error;
      }
    },

    /** The browser's return: the provider is asked how the checkout stands, and its word settled. */
    async returned(userId: number, checkoutId: string, cancelled = false) {
      const payment = await q.paymentByCheckout(db, checkoutId);
      if (!payment || payment.payer_user_id !== userId) return undefined;
      const report =
        cancelled && provider.cancelCheckout && payment.status === 'pending'
          ? await provider.cancelCheckout(checkoutId)
          : await provider.checkoutReport(checkoutId);
      if (report) await settle(report);
      return q.paymentById(db, payment.id);
    },

    /** Staff's "Paiements à vérifier": what the provider reported that nobody should let pass. */
    needingAttention: () => q.needingAttention(db),

    /** A receipt's PDF, for its payer, or whoever may pay for an application it paid (fees/queries.ts). */
    async receiptFor(userId: number, receiptNumber: string) {
      const receipt = await q.receiptByNumber(db, receiptNumber);
      if (!receipt) return undefined;
      if (receipt.payer_user_id !== userId) {
        const lines = await q.receiptLines(db, receipt.id);
        if (
          !(await mayPayFor(
            db,
            userId,
            lines.map((l) => l.application_id),
          ))
        )
          return undefined;
      }
      return { number: receipt.receipt_number as string, pdf: receipt.receipt_pdf as Buffer };
    },
  };
}

export type PaymentsService = ReturnType<typeof paymentsService>;
export type { Tx };
