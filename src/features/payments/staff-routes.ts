import { Router } from 'express';
import { page } from '../../web/page';
import { requireStaff } from '../staff/guard';
import type { PaymentsService } from './service';

/**
 * "Paiements à vérifier": a payment reported after its fees were paid by another (to refund), a report
 * that did not match its checkout, a refund the provider refused — each needs a person.
 */
export function staffPaymentsRoutes(payments: PaymentsService): Router {
  const router = Router();
  page(router, 'staffPayments').get(requireStaff, async (_req, res) => {
    res.render('payments/staff-attention', { events: await payments.needingAttention() });
  });
  return router;
}
