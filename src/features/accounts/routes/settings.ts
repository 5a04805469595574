import { Router } from 'express';
import { requireSignIn, startSession } from '../../../web/auth';
import { flash } from '../../../web/flash';
import { validate } from '../../../web/forms';
import { page } from '../../../web/page';
import { pathFor } from '../../../web/paths';
import type { RateLimits } from '../../../web/rate-limits';
import type { AccountsService } from '../service';
import { changeEmailForm, changePasswordForm, tokenQuery } from '../schemas';
import { linkInvalid, tokenLinkPage } from './token-link';

const SETTINGS = 'accounts/settings';
const CONFIRM_EMAIL = 'accounts/confirm-email';

/** "Mes paramètres": change the password (asks the current one) and the email (confirmed by a link). */
export function settingsRoutes(accounts: AccountsService, limits: RateLimits): Router {
  const router = Router();

  page(router, 'settings').get(requireSignIn, (_req, res) => res.render(SETTINGS));

  page(router, 'changePassword').post(requireSignIn, limits.settings, async (req, res) => {
    const extra = { form: 'password' };
    const order = ['currentPassword', 'password', 'passwordConfirm'];
    const form = validate(changePasswordForm, req, res, SETTINGS, { order, extra });
    if (!form) return;
    const user = req.user!;
    const result = await accounts.changePassword({
      userId: user.id,
      currentPassword: form.currentPassword,
      password: form.password,
      keepSid: req.sessionID,
      ip: req.ip,
    });
    if (!result.ok) {
      return res
        .status(422)
        .render(SETTINGS, { ...extra, errors: { currentPassword: 'accounts:settings.wrongPassword' } });
    }
    // The other sessions have ended; this one carries on under a new id.
    await startSession(req, user, req.session.signedInAt);
    flash(req, 'flash.passwordChanged');
    res.redirect(303, pathFor('settings', req.lang));
  });

  page(router, 'changeEmail').post(requireSignIn, limits.settings, async (req, res) => {
    const extra = { form: 'email' };
    const form = validate(changeEmailForm, req, res, SETTINGS, {
      order: ['newEmail', 'currentPassword'],
      extra,
    });
    if (!form) return;
    const user = req.user!;
    if (form.newEmail.toLowerCase() === user.email) {
      return res.status(422).render(SETTINGS, {
        ...extra,
        values: { newEmail: form.newEmail },
        errors: { newEmail: 'validation:email.sameAsCurrent' },
      });
    }
    const result = await accounts.requestEmailChange({
      userId: user.id,
      newEmail: form.newEmail,
      currentPassword: form.currentPassword,
      ip: req.ip,
    });
    if (!result.ok) {
      return res.status(422).render(SETTINGS, {
        ...extra,
        values: { newEmail: form.newEmail },
        errors: { currentPassword: 'accounts:settings.wrongPassword' },
      });
    }
    res.redirect(303, `${pathFor('emailSent', req.lang)}?for=emailChange`);
  });

  // The link in the email opens a page with a button: a GET never changes anything.
  page(router, 'confirmEmail')
    .get(tokenLinkPage(accounts, 'email_change', 'emailChange', CONFIRM_EMAIL))
    .post(limits.tokenForm, async (req, res) => {
      const query = tokenQuery.safeParse(req.body ?? {});
      const result = query.success
        ? await accounts.confirmEmailChange({ token: query.data.token, ip: req.ip, keepSid: req.sessionID })
        : ({ ok: false, reason: 'invalidLink' } as const);
      if (!result.ok) return linkInvalid(res, result.reason === 'emailTaken' ? 'emailTaken' : 'emailChange');
      flash(req, 'flash.emailChanged');
      res.redirect(303, pathFor(req.user ? 'settings' : 'signIn', req.lang));
    });

  return router;
}
