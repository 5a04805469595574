import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { formatDate } from '../../domain/formatting';
import { staffFigures } from './charts';
import { startSession } from '../../web/auth';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import type { RateLimits } from '../../web/rate-limits';
import { email } from '../accounts/schemas';
import type { AccountsService } from '../accounts/service';
import { requireStaff, requireStaffPassword } from './guard';
import type { StaffService } from './service';
import type { WithdrawalDecisions } from '../withdrawals/decisions';
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

/** J7: the City staff admin page: sign-in with a second factor, its enrolment, and the home's figures. */
export function staffRoutes(
  staff: StaffService,
  accounts: AccountsService,
  decisions: WithdrawalDecisions,
  limits: RateLimits,
  db: Db,
): Router {
  const router = Router();
  const SIGN_IN = 'staff/sign-in';
  const ENROL = 'staff/enrol';

  page(router, 'staffSignIn')
    .get((_req, res) => res.render(SIGN_IN))
    .post(limits.signIn, async (req, res) => {
      const form = validate(signInForm, req, res, SIGN_IN, { order: ['email', 'password', 'code'] });
      if (!form) return;
      const refused = () =>
        res
          .status(401)
          .render(SIGN_IN, { values: { email: form.email }, errors: { password: 'staff:signIn.invalid' } });
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
      if (!enrolled) return res.redirect(303, pathFor('staffEnrol', req.lang));
      req.session.mfaAt = Date.now();
      res.redirect(303, pathFor('staffHome', req.lang));
    });

  /** First sign-in: the QR code and the same secret as text; the first good code completes the enrolment. */
  async function renderEnrol(req: Request, res: Response, status = 200, errors = {}) {
    const secret = await staff.pendingSecret(req.user!.id);
    const { qrSvg } = await enrolment(secret, req.user!.email);
    res.status(status).render(ENROL, { secret, qrSvg, errors, enrolled: await staff.enrolled(req.user!.id) });
  }

  page(router, 'staffEnrol')
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
        return renderEnrol(req, res, 422, { code: 'staff:enrol.invalid' });
      }
      req.session.mfaAt = Date.now();
      flash(req, 'flash.mfaEnrolled');
      res.redirect(303, pathFor('staffHome', req.lang));
    });

  page(router, 'staffHome').get(requireStaff, async (req, res) => {
    const figures = await staffFigures(db);
    const t = res.locals.t as (key: string) => string;
    res.render('staff/home', {
      pending: (await decisions.queue()).length,
      byStatus: figures.statuses((s) => t(`status:${s}`)),
      byWeek: figures.weeks((monday) => formatDate(monday, req.lang)),
    });
  });

  return router;
}
