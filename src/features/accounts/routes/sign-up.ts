import { Router } from 'express';
import { validate } from '../../../web/forms';
import { page } from '../../../web/page';
import { pathFor } from '../../../web/paths';
import type { RateLimits } from '../../../web/rate-limits';
import type { AccountsService } from '../service';
import { emailForm, signUpForm } from '../schemas';

const SIGN_UP = 'accounts/sign-up';
const RESEND = 'accounts/resend-activation';
const EMAIL_SENT_VARIANTS = ['signUp', 'resend', 'reset', 'emailChange'] as const;

/** "Créer un compte", the page that says an email is on its way, and "resend the activation link". */
export function signUpRoutes(accounts: AccountsService, limits: RateLimits): Router {
  const router = Router();

  page(router, 'signUp')
    .get((_req, res) => res.render(SIGN_UP))
    .post(...limits.signUp, async (req, res) => {
      const form = validate(signUpForm, req, res, SIGN_UP, {
        order: ['email', 'emailConfirm', 'password', 'passwordConfirm', 'terms'],
      });
      if (!form) return;
      // The same answer whether or not the address already has an account.
      await accounts.signUp({ email: form.email, password: form.password, lang: req.lang, ip: req.ip });
      res.redirect(303, `${pathFor('emailSent', req.lang)}?for=signUp`);
    });

  page(router, 'emailSent').get((req, res) => {
    const requested = String(req.query.for ?? '');
    const variant = EMAIL_SENT_VARIANTS.find((v) => v === requested) ?? 'signUp';
    res.render('accounts/email-sent', { variant });
  });

  page(router, 'resendActivation')
    .get((_req, res) => res.render(RESEND))
    .post(...limits.emailLink, async (req, res) => {
      const form = validate(emailForm, req, res, RESEND, { order: ['email'] });
      if (!form) return;
      await accounts.requestLink({ kind: 'activation', email: form.email, ip: req.ip });
      res.redirect(303, `${pathFor('emailSent', req.lang)}?for=resend`);
    });

  return router;
}
