import type { RequestHandler } from 'express';
import { csrfSync } from 'csrf-sync';

/**
 * Synchronizer tokens kept in the session: every POST must carry the token of the form it came from.
 * The token is made only when a page renders a form, so browsing does not create sessions.
 */
export function csrfProtection(): RequestHandler[] {
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
  });
  return [
    (req, res, next) => {
      res.locals.csrfToken = () => generateToken(req);
      next();
    },
    csrfSynchronisedProtection,
  ];
}
