import { parseDollars } from '../../domain/fees';
import { formatMoney } from '../../domain/formatting';
import { Router } from 'express';
import { z } from 'zod';
import { flash } from '../../web/flash';
import { keptValues, validate } from '../../web/forms';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { requireStaff } from '../staff/guard';
import type { WithdrawalDecisions } from './decisions';

const DECISION = 'withdrawals/staff-decision';

const decisionForm = z
  .object({
    decision: z.enum(['approve', 'refuse'], { error: 'validation:decision.required' }),
    staffComment: z
      .string({ error: 'validation:staffComment.required' })
      .trim()
      .min(1, 'validation:staffComment.required')
      .max(1000, 'validation:comment.tooLong'),
    refund: z.enum(['none', 'partial', 'full'], { error: 'validation:refund.required' }).default('none'),
    amount: z.string().trim().optional(),
  })
  .transform((form, ctx) => {
    let refundCents: number | null = null;
    if (form.decision === 'approve' && form.refund === 'partial') {
      // Integer cents from what was typed, in either language ("130,27", "1 302.72"): never a float.
      const cents = parseDollars(form.amount ?? '');
      if (!cents) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: 'validation:amount.invalid' });
        return z.NEVER;
      }
      refundCents = cents;
    }
    return {
      approve: form.decision === 'approve',
      comment: form.staffComment,
      refund: form.refund,
      refundCents,
    };
  });

/** J7: the withdrawal requests waiting for the city, and the staff decision on each. */
export function withdrawalDecisionRoutes(decisions: WithdrawalDecisions): Router {
  const router = Router();

  page(router, 'staffWithdrawals').get(requireStaff, async (_req, res) => {
    const [queue, decided] = await Promise.all([decisions.queue(), decisions.decided()]);
    res.render('withdrawals/staff-queue', { queue, decided });
  });

  page(router, 'staffWithdrawal')
    .get(requireStaff, async (req, res) => {
      const request = await decisions.request(idParam(req.params.id));
      if (!request) throw new NotFoundError();
      const quote = await decisions.refundQuote(request);
      // The refund table's suggestion, ready to confirm or change (the comment says why).
      const values = !quote?.suggestedCents
        ? { refund: 'none' }
        : quote.suggestedCents === quote.refundableCents
          ? { refund: 'full' }
          : { refund: 'partial', amount: formatMoney(quote.suggestedCents, req.lang) };
      res.render(DECISION, { request, quote, values });
    })
    .post(requireStaff, async (req, res) => {
      const request = await decisions.request(idParam(req.params.id));
      if (!request) throw new NotFoundError();
      const quote = await decisions.refundQuote(request);
      const form = validate(decisionForm, req, res, DECISION, {
        order: ['decision', 'staffComment', 'refund', 'amount'],
        multiline: ['staffComment'],
        extra: { request, quote },
      });
      if (!form) return;
      const outcome = await decisions.decide(personActing(req, res), request.id, form);
      if (outcome === 'refundTooLarge') {
        return res.status(422).render(DECISION, {
          request,
          quote,
          values: keptValues(req.body),
          errors: { amount: 'staff:refund.tooLarge' },
        });
      }
      if (outcome === 'alreadyDecided') {
        return res.status(409).render(DECISION, {
          request: await decisions.request(request.id),
          errors: { decision: 'staff:withdrawal.alreadyDecided' },
        });
      }
      flash(req, form.approve ? 'flash.withdrawalApproved' : 'flash.withdrawalRefused', {
        number: request.number,
      });
      res.redirect(303, pathFor('staffWithdrawals', req.lang));
    });

  return router;
}
