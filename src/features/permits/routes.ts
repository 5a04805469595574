import { Router } from 'express';
import { z } from 'zod';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import type { RateLimits } from '../../web/rate-limits';
import { refParam } from '../applications/schemas';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import { sendPdf } from './download';
import type { PermitsService } from './service';

const verifyForm = z.object({
  permitNumber: z
    .string({ error: 'validation:permitNumber.required' })
    .trim()
    .min(1, 'validation:permitNumber.required')
    .max(20, 'validation:permitNumber.format')
    .regex(/^PC-?\d{4}-?\d{6}$/i, 'validation:permitNumber.format')
    .transform((n) => n.toUpperCase().replace(/^PC-?(\d{4})-?(\d{6})$/, 'PC-$1-$2')),
  code: z
    .string({ error: 'validation:permitCode.required' })
    .trim()
    .min(1, 'validation:permitCode.required')
    .max(20, 'validation:permitCode.format'),
});

const VERIFY = 'permits/verify';

/** The permit: downloaded from its application, and checked by anyone on a public page. */
export function permitsRoutes(
  permits: PermitsService,
  registration: RegistrationService,
  limits: RateLimits,
): Router {
  const router = Router();

  page(router, 'permitPdf').get(requireRegistration(registration), async (req, res) => {
    sendPdf(res, await permits.pdfFor(req.user!.id, refParam(req)));
  });

  // No sign-in: neighbours and inspectors check the permit posted on the site.
  page(router, 'verifyPermit')
    .get((_req, res) => res.render(VERIFY, {}))
    .post(limits.verifyPermit, async (req, res) => {
      const form = validate(verifyForm, req, res, VERIFY, { order: ['permitNumber', 'code'] });
      if (!form) return;
      const permit = await permits.verify(form.permitNumber, form.code);
      // A wrong pair: one answer, whether the number exists or not, the values kept to correct them.
      res.render(VERIFY, { values: form, result: permit ?? 'none' });
    });

  return router;
}
