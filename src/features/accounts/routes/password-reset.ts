import { Router } from 'express';
import { freshSession } from '../../../web/auth';
import { flash } from '../../../web/flash';
import { validate } from '../../../web/forms';
import { page } from '../../../web/page';
import { pathFor } from '../../../web/paths';
import type { RateLimits } from '../../../web/rate-limits';
import type { AccountsService } from '../service';
import { emailForm, resetPasswordForm } from '../schemas';
import { linkInvalid, tokenLinkPage } from './token-link';

const FORGOT = 'accounts/forgot-password';
const RESET = 'accounts/reset-password';

/** "Mot de passe oublié?": a link valid one hour, used once, that sets a new password. */
export function passwordResetRoutes(accounts: AccountsService, limits: RateLimits): Router {
  const router = Router();

  page(router, 'forgotPassword')
    .get((_req, res) => res.render(FORGOT))
    .post(...limits.emailLink, async (req, res) => {
      const form = validate(emailForm, req, res, FORGOT, { order: ['email'] });
      if (!form) return;
      await accounts.requestLink({ kind: 'passwordReset', email: form.email, ip: req.ip });
      res.redirect(303, `${pathFor('emailSent', req.lang)}?for=reset`);
    });

  page(router, 'resetPassword')
    .get(tokenLinkPage(accounts, 'password_reset', 'reset', RESET))
    .post(limits.tokenForm, async (req, res) => {
      const token = String(req.body?.token ?? '');
      const form = validate(resetPasswordForm, req, res, RESET, {
        order: ['password', 'passwordConfirm'],
        extra: { token },
      });
      if (!form) return;
      const result = await accounts.resetPassword({ token: form.token, password: form.password, ip: req.ip });
      if (!result.ok) return linkInvalid(res, 'reset');
      // Every session of the account has ended, this one too if it was signed in.
      await freshSession(req);
      flash(req, 'flash.passwordReset');
      res.redirect(303, pathFor('signIn', req.lang));
    });

  return router;
}
