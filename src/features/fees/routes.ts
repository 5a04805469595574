import { Router } from 'express';
import { page } from '../../web/page';
import { requireSignIn } from '../../web/auth';
import type { FeesService } from './service';

/** "Frais impayés": every fee the person may pay, across their applications and companies. */
export function feesRoutes(fees: FeesService, paymentsOffered: boolean): Router {
  const router = Router();

  page(router, 'unpaidFees').get(requireSignIn, async (req, res) => {
    const payable = await fees.payable(req.user!.id);
    res.render('fees/unpaid', {
      payable,
      total: payable.reduce((sum, f) => sum + f.amount_cents, 0),
      payments: paymentsOffered,
    });
  });

  return router;
}
