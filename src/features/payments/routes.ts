import express, { Router, type Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { requireSignIn } from '../../web/auth';
import { page } from '../../web/page';
import { personActing } from '../accounts/acting';
import type { FeesService } from '../fees/service';
import { sendPdf } from '../permits/download';
import { InvalidNotification } from './provider';
import type { PaymentsService } from './service';

const ticked = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
  .pipe(
    z
      .array(
        z
          .string()
          .regex(/^\d{1,18}$/)
          .transform(Number),
      )
      .max(200),
  )
  .catch([]);

const receiptParam = (req: Request) => {
  const match = /^(REC-\d{4}-\d{6})\.pdf$/.exec(String(req.params.number));
  if (!match) throw new NotFoundError();
  return match[1]!;
};

/** J9: paying the fees ticked on Frais impayés, the return from the provider, the receipts. */
export function paymentsRoutes(payments: PaymentsService, fees: FeesService): Router {
  const router = Router();

  page(router, 'unpaidFees').post(requireSignIn, async (req, res) => {
    const feeIds = ticked.parse(req.body?.fees);
    const started = await payments.start(personActing(req, res), feeIds, req.lang);
    if (started.ok) return res.redirect(303, started.url);
    const payable = await fees.payable(req.user!.id);
    res.status(started.reason === 'none' ? 422 : 409).render('fees/unpaid', {
      payable,
      total: payable.reduce((sum, f) => sum + f.amount_cents, 0),
      payments: true,
      ticked: feeIds,
      errors: { fees: `fees:pay.${started.reason}` },
    });
  });

  page(router, 'paymentReturn').get(requireSignIn, async (req, res) => {
    const checkout = typeof req.query.checkout === 'string' ? req.query.checkout.slice(0, 100) : '';
    const cancelled = req.query.cancelled === '1';
    const payment = checkout ? await payments.returned(req.user!.id, checkout, cancelled) : undefined;
    if (!payment) throw new NotFoundError();
    // The top bar's count was read with the session, before this request settled the payment.
    req.user!.unpaid = (await fees.payable(req.user!.id)).length;
    res.render('payments/return', { payment, checkout });
  });

  page(router, 'receiptPdf').get(requireSignIn, async (req, res) => {
    sendPdf(res, await payments.receiptFor(req.user!.id, receiptParam(req)));
  });

  return router;
}

/**
 * The provider's notifications: its exact bytes (the signature covers them), before sessions and CSRF
 * (the provider has neither). A forged, altered or stale one is refused with 400 and changes nothing.
 */
export function paymentWebhook(payments: PaymentsService): Router {
  const router = Router();
  router.post('/webhooks/payments', express.raw({ type: () => true, limit: '64kb' }), async (req, res) => {
    try {
      const result = await payments.receiveNotification(req.body as Buffer, req.headers, req.ip);
      res.status(200).json({ received: true, result });
    } catch (error) {
      if (!(error instanceof InvalidNotification)) throw error;
      res.status(400).json({ received: false });
    }
  });
  return router;
}
