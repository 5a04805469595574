import { Router } from 'express';
import { startSession } from '../../../web/auth';
import { flash } from '../../../web/flash';
import { validate } from '../../../web/forms';
import { page } from '../../../web/page';
import { pathFor } from '../../../web/paths';
import type { RateLimits } from '../../../web/rate-limits';
import type { AccountsService } from '../service';
import { activateForm } from '../schemas';
import { linkInvalid, tokenLinkPage } from './token-link';

const VIEW = 'accounts/activate';

/** "Activer mon compte": the link from the email opens a page that asks for the password chosen at signup. */
export function activationRoutes(accounts: AccountsService, limits: RateLimits): Router {
  const router = Router();

  page(router, 'activate')
    .get(tokenLinkPage(accounts, 'activation', 'activation', VIEW))
    .post(limits.tokenForm, async (req, res) => {
      const token = String(req.body?.token ?? '');
      const form = validate(activateForm, req, res, VIEW, { order: ['password'], extra: { token } });
      if (!form) return;
      const result = await accounts.activate({ token: form.token, password: form.password, ip: req.ip });
      if (!result.ok && result.reason === 'wrongPassword') {
        return res
          .status(422)
          .render(VIEW, { token, errors: { password: 'accounts:activate.wrongPassword' } });
      }
      if (!result.ok) return linkInvalid(res, 'activation');
      await startSession(req, result.value);
      flash(req, 'flash.activated');
      res.redirect(303, pathFor('dashboard', req.lang));
    });

  return router;
}
