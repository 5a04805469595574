import { Router, type Request } from 'express';
import { z } from 'zod';
import { confirmed } from '../../web/confirm';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { refParam } from '../applications/schemas';
import type { ApplicationsService } from '../applications/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import { personActing } from '../accounts/acting';
import type { WithdrawalsService } from './service';

const FORM = 'withdrawals/form';

export const withdrawForm = z.object({
  comment: z
    .string({ error: 'validation:comment.required' })
    .trim()
    .min(1, 'validation:comment.required')
    .max(1000, 'validation:comment.tooLong'),
});

/** J6: "Retirer la demande", cancelling a pending request, and deleting a draft. */
export function withdrawalsRoutes(
  withdrawals: WithdrawalsService,
  applications: ApplicationsService,
  registration: RegistrationService,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);

  /** The form is only for an application this user may withdraw now; otherwise its page says why. */
  async function withdrawable(req: Request) {
    const { application } = await applications.activity(req.user!, refParam(req));
    const { allowed } = await withdrawals.withdrawOption(req.user!.id, application);
    return { application, allowed };
  }

  page(router, 'withdrawApplication')
    .get(registered, async (req, res) => {
      const { application, allowed } = await withdrawable(req);
      if (!allowed)
        return res.redirect(303, pathFor('application', req.lang, { ref: application.number ?? '' }));
      res.render(FORM, { application });
    })
    .post(registered, async (req, res) => {
      const { application } = await applications.activity(req.user!, refParam(req));
      const form = validate(withdrawForm, req, res, FORM, {
        order: ['comment'],
        multiline: ['comment'],
        extra: { application },
      });
      if (!form) return;
      const result = await withdrawals.request(personActing(req, res), refParam(req), form.comment);
      if (!result.ok && result.reason === 'notAllowed') throw new NotFoundError();
      if (!result.ok) {
        return res.status(409).render(FORM, {
          application,
          values: { comment: form.comment },
          errors: { comment: 'withdrawal:notWithdrawable' },
        });
      }
      flash(req, 'flash.withdrawalRequested', { number: result.number });
      res.redirect(303, pathFor('application', req.lang, { ref: result.number }));
    });

  page(router, 'cancelWithdrawal').post(registered, async (req, res) => {
    const ref = refParam(req);
    if (!(await withdrawals.cancel(personActing(req, res), ref))) throw new NotFoundError();
    flash(req, 'flash.withdrawalCancelled', { number: ref });
    res.redirect(303, pathFor('application', req.lang, { ref }));
  });

  page(router, 'deleteDraft').post(registered, async (req, res) => {
    const ref = refParam(req);
    const ask = {
      title: 'withdrawal:deleteDraft',
      question: 'withdrawal:deleteDraftQuestion',
      button: 'withdrawal:deleteDraft',
      back: pathFor('application', req.lang, { ref }),
    };
    if (!(await withdrawals.deleteDraft(personActing(req, res), ref, () => confirmed(req, res, ask)))) return;
    flash(req, 'flash.draftDeleted');
    res.redirect(303, pathFor('bcsHome', req.lang));
  });

  return router;
}
