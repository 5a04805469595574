import type { RequestHandler } from 'express';
import { requireSignIn } from '../../web/auth';
import { pathFor } from '../../web/paths';
import type { RegistrationService } from './service';

/**
 * Every Building Code Services page needs a signed-in account that has registered; an account that has
 * not is sent to the registration. The profile is then at hand for the page (res.locals.profile).
 */
export function requireRegistration(registration: RegistrationService): RequestHandler {
  return async (req, res, next) => {
    if (!req.user || req.user.role === 'staff') return requireSignIn(req, res, next);
    const profile = await registration.profileOf(req.user);
    if (!profile) return res.redirect(303, pathFor('register', req.lang));
    res.locals.profile = profile;
    // Its pages show the service bar; their confirmation goes under it, not above (partials/bcs-nav).
    res.locals.serviceNav = true;
    next();
  };
}
