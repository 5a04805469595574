import { Router } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { addJob } from '../../db/jobs';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { DEV_NOTIFICATION_TASK, type DevNotification, type DevPaymentProvider } from './dev-provider';

const decision = z.object({ outcome: z.enum(['paid', 'declined', 'cancelled']) });
const checkoutId = (value: unknown) => {
  const id = z
    .string()
    .regex(/^devcs_[0-9a-f]{24}$/)
    .safeParse(value);
  if (!id.success) throw new NotFoundError();
  return id.data;
};

/**
 * The development payment page (never mounted in production): the amount and the reference, and
 * Approuver / Refuser / Annuler. It reports back as a provider does: a signed notification, delivered by
 * the job queue, twice (a second copy a few seconds later, as providers retry), and the browser sent
 * back to the portal — so the two arrive in either order.
 */
export function devPaymentRoutes(provider: DevPaymentProvider, db: Db): Router {
  const router = Router();
  page(router, 'devPayment')
    .get(async (req, res) => {
      const checkout = await provider.checkout(checkoutId(req.params.id));
      if (!checkout) throw new NotFoundError();
      res.render('payments/dev-page', { checkout });
    })
    .post(async (req, res) => {
      const id = checkoutId(req.params.id);
      const form = decision.safeParse(req.body ?? {});
      if (!form.success) throw new NotFoundError();
      const notice = await provider.decide(id, form.data.outcome);
      if (!notice) throw new NotFoundError();
      const payload = { body: notice.body, signature: notice.signature } satisfies DevNotification;
      await addJob(db, DEV_NOTIFICATION_TASK, payload);
      await addJob(db, DEV_NOTIFICATION_TASK, payload, { runAt: new Date(Date.now() + 3000) });
      const checkout = (await provider.checkout(id))!;
      res.redirect(303, `${checkout.return_url}?checkout=${encodeURIComponent(id)}`);
    });
  return router;
}
