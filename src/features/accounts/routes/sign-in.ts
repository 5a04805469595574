import { Router } from 'express';
import type { PassportStatic } from 'passport';
import { safeReturnTo, startSession } from '../../../web/auth';
import { flash } from '../../../web/flash';
import { validate } from '../../../web/forms';
import { page } from '../../../web/page';
import { pathFor } from '../../../web/paths';
import type { RateLimits } from '../../../web/rate-limits';
import type { SessionUser } from '../queries';
import { signInForm } from '../schemas';
import type { AccountsService } from '../service';

const VIEW = 'accounts/sign-in';

/** "Connexion" and "Déconnexion". */
export function signInRoutes(
  accounts: AccountsService,
  passport: PassportStatic,
  limits: RateLimits,
): Router {
  const router = Router();

  page(router, 'signIn')
    .get((req, res) => {
      if (req.user) return res.redirect(303, pathFor('dashboard', req.lang));
      res.render(VIEW);
    })
    .post(limits.signIn, (req, res, next) => {
      if (!validate(signInForm, req, res, VIEW, { order: ['email', 'password'] })) return;
      const returnTo = safeReturnTo(req.session.returnTo);
      passport.authenticate(
        'local',
        (error: unknown, user: SessionUser | false, info?: { message?: string }) => {
          if (error) return next(error);
          if (!user) {
            const notActivated = info?.message === 'notActivated';
            return res.status(notActivated ? 403 : 401).render(VIEW, {
              values: { email: String(req.body.email ?? '') },
              errors: notActivated
                ? { email: 'accounts:signIn.notActivated' }
                : { password: 'accounts:signIn.invalid' },
              notActivated,
            });
          }
          startSession(req, user).then(
            () => res.redirect(303, returnTo ?? pathFor('dashboard', req.lang)),
            (sessionError: unknown) => next(sessionError),
          );
        },
      )(req, res, next);
    });

  page(router, 'signOut').post(async (req, res, next) => {
    const lang = req.lang;
    if (req.user) await accounts.signedOut({ userId: req.user.id, ip: req.ip });
    req.logout((logoutError) => {
      if (logoutError) return next(logoutError);
      // Passport has already moved to a fresh session; the message goes in it, the old one is gone.
      flash(req, 'flash.signedOut');
      res.redirect(303, pathFor('signIn', lang));
    });
  });

  return router;
}
