import type { Request, RequestHandler } from 'express';
import { parse } from 'cookie';
import { csrfSync } from 'csrf-sync';
import { portalCookie } from './cookies';

/**
 * Synchronizer tokens: every POST must carry the token of the form it came from. A signed-in person's
 * token is kept in their session. A visitor's (the sign-in, sign-up and activation forms) is kept in a
 * cookie of its own, and the form must carry the same value: otherwise every visit to the sign-in page
 * wrote a session row, so a crawler could fill the session table. The token is made only when a page
 * renders a form, and kept until the browser closes.
 */
export function csrfProtection(options: { production: boolean }): RequestHandler[] {
  const cookie = portalCookie('csrf', options.production);
  const fromCookie = (req: Request): string | undefined => {
    const header = req.headers.cookie;
    const token = header ? parse(header)[cookie.name] : undefined;
    // Only a token this code could have made: an empty or planted odd value never matches.
    return token && /^[0-9a-f]{256}$/.test(token) ? token : undefined;
  };
  const { csrfSynchronisedProtection, generateToken } = csrfSync({
    getTokenFromRequest: (req) => (typeof req.body?._csrf === 'string' ? req.body._csrf : undefined),
    getTokenFromState: (req) =>
      req.user ? req.session.csrfToken : (req.csrfVisitorToken ?? fromCookie(req)),
    storeTokenInState: (req, token) => {
      const value = token ?? undefined;
      if (req.user) {
        req.session.csrfToken = value;
        return;
      }
      req.csrfVisitorToken = value;
      if (value) req.res?.cookie(cookie.name, value, cookie.options);
      else req.res?.clearCookie(cookie.name, cookie.options);
    },
  });
  return [
    (req, res, next) => {
      res.locals.csrfToken = () => generateToken(req);
      next();
    },
    csrfSynchronisedProtection,
  ];
}
