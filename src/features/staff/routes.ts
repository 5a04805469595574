import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { formatDate } from '../../domain/formatting';
import { adminFigures } from './charts';
import { startSession } from '../../web/auth';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { NotFoundError } from '../../web/errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import type { RateLimits } from '../../web/rate-limits';
import { email } from '../accounts/schemas';
import type { AccountsService } from '../accounts/service';
import { requireStaff, requireStaffPassword } from './guard';
import type { StaffService } from './service';
import { enrolment } from './totp';

const code = z
  .string({ error: 'validation:code.required' })
  .trim()
  .regex(/^\d{6}$/, 'validation:code.invalid');
const signInForm = z.object({
  email,
  password: z
    .string({ error: 'validation:password.required' })
    .min(1, 'validation:password.required')
    .max(1024),
  code: z.string().trim().optional(),
});
const codeForm = z.object({ code });

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
      const amount = /^\d{1,7}([.,]\d{1,2})?$/.test(form.amount ?? '')
        ? Number(form.amount!.replace(',', '.'))
        : NaN;
      if (!(amount > 0)) {
        ctx.addIssue({ code: 'custom', path: ['amount'], message: 'validation:amount.invalid' });
        return z.NEVER;
      }
      refundCents = Math.round(amount * 100);
    }
    return {
      approve: form.decision === 'approve',
      comment: form.staffComment,
      refund: form.refund,
      refundCents,
    };
  });

function staffActor(req: Request) {
  return { userId: req.user!.id, name: req.user!.display_name ?? req.user!.email, ip: req.ip };
}

/** J7: the City staff admin page (a first part: sign-in with TOTP and the withdrawal queue). */
export function staffRoutes(
  staff: StaffService,
  accounts: AccountsService,
  limits: RateLimits,
  db: Db,
): Router {
  const router = Router();
  const SIGN_IN = 'admin/sign-in';
  const ENROL = 'admin/enrol';

  page(router, 'adminSignIn')
    .get((_req, res) => res.render(SIGN_IN))
    .post(limits.signIn, async (req, res) => {
      const form = validate(signInForm, req, res, SIGN_IN, { order: ['email', 'password', 'code'] });
      if (!form) return;
      const refused = () =>
        res
          .status(401)
          .render(SIGN_IN, { values: { email: form.email }, errors: { password: 'admin:signIn.invalid' } });
      const result = await accounts.signIn({
        email: form.email,
        password: form.password,
        ip: req.ip,
        role: 'staff',
        secondFactor: true,
      });
      if (!result.ok) return refused();
      const user = result.user;
      const enrolled = await staff.enrolled(user.id);
      // Not enrolled yet: the password opens the enrolment page only, where the first code completes it.
      const code = form.code ?? '';
      if (
        enrolled &&
        !(await accounts.secondFactor(user, req.ip, (tx) => staff.verifyCode(tx, user.id, code, req.ip)))
      )
        return refused();
      await startSession(req, user);
      if (!enrolled) return res.redirect(303, pathFor('adminEnrol', req.lang));
      req.session.mfaAt = Date.now();
      res.redirect(303, pathFor('adminHome', req.lang));
    });

  /** First sign-in: the QR code and the same secret as text; the first good code completes the enrolment. */
  async function renderEnrol(req: Request, res: Response, status = 200, errors = {}) {
    const secret = await staff.pendingSecret(req.user!.id);
    const { qrSvg } = await enrolment(secret, req.user!.email);
    res.status(status).render(ENROL, { secret, qrSvg, errors, enrolled: await staff.enrolled(req.user!.id) });
  }

  page(router, 'adminEnrol')
    .get(requireStaffPassword, (req, res) => renderEnrol(req, res))
    .post(requireStaffPassword, limits.tokenForm, async (req, res) => {
      const form = codeForm.safeParse(req.body ?? {});
      const user = req.user!;
      const verified =
        form.success &&
        (await accounts.secondFactor(user, req.ip, (tx) =>
          staff.verifyCode(tx, user.id, form.data.code, req.ip),
        ));
      if (!verified) {
        return renderEnrol(req, res, 422, { code: 'admin:enrol.invalid' });
      }
      req.session.mfaAt = Date.now();
      flash(req, 'flash.mfaEnrolled');
      res.redirect(303, pathFor('adminHome', req.lang));
    });

  page(router, 'adminHome').get(requireStaff, async (req, res) => {
    const figures = await adminFigures(db);
    const t = res.locals.t as (key: string) => string;
    res.render('admin/home', {
      pending: (await staff.queue()).length,
      byStatus: figures.statuses((s) => t(`status:${s}`)),
      byWeek: figures.weeks((monday) => formatDate(monday, req.lang)),
    });
  });

  page(router, 'adminWithdrawals').get(requireStaff, async (_req, res) => {
    res.render('admin/withdrawals', { queue: await staff.queue() });
  });

  const requestId = (req: Request) => {
    const id = z
      .string()
      .regex(/^\d{1,18}$/)
      .safeParse(req.params.id);
    if (!id.success) throw new NotFoundError();
    return Number(id.data);
  };

  page(router, 'adminWithdrawal')
    .get(requireStaff, async (req, res) => {
      const request = await staff.request(requestId(req));
      if (!request) throw new NotFoundError();
      res.render('admin/withdrawal', { request, values: { refund: 'none' } });
    })
    .post(requireStaff, async (req, res) => {
      const request = await staff.request(requestId(req));
      if (!request) throw new NotFoundError();
      const form = validate(decisionForm, req, res, 'admin/withdrawal', {
        order: ['decision', 'staffComment', 'refund', 'amount'],
        multiline: ['staffComment'],
        extra: { request },
      });
      if (!form) return;
      const outcome = await staff.decide(staffActor(req), request.id, form);
      if (outcome === 'alreadyDecided') {
        return res.status(409).render('admin/withdrawal', {
          request: await staff.request(request.id),
          errors: { decision: 'admin:withdrawal.alreadyDecided' },
        });
      }
      flash(req, form.approve ? 'flash.withdrawalApproved' : 'flash.withdrawalRefused', {
        number: request.number,
      });
      res.redirect(303, pathFor('adminWithdrawals', req.lang));
    });

  return router;
}
