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
export function csrfProtection(options: { production: boolean }): {
  /** Gives the pages `csrfToken()` for their forms. */
  tokens: RequestHandler;
  /** Refuses a POST without its form's token (read from a urlencoded body). */
  check: RequestHandler;
  /**
   * For routes that read their own body (uploads, multipart): whether `token` is this visitor's. They
   * are mounted between `tokens` and `check`, and ask this before accepting any file.
   */
  tokenValid: (req: Request, token: string) => boolean;
} {
  const cookie = portalCookie('csrf', options.production);
  const fromCookie = (req: Request): string | undefined => {
    const header = req.headers.cookie;
    const token = header ? parse(header)[cookie.name] : undefined;
    // Only a token this code could have made: an empty or planted odd value never matches.
    return token && /^[0-9a-f]{256}$/.test(token) ? token : undefined;
  };
  const { csrfSynchronisedProtection, generateToken, isRequestValid } = csrfSync({
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
  return {
    tokens: (req, res, next) => {
      res.locals.csrfToken = () => generateToken(req);
      next();
    },
    check: csrfSynchronisedProtection,
    tokenValid: (req, token) => {
      // The token as the urlencoded forms carry it; the body is otherwise the upload's own to read.
      req.body = { _csrf: token };
      return isRequestValid(req);
    },
  };
}

/** The error a missing or wrong form token raises (the error page says the form expired). */
export function invalidToken(): Error {
  return Object.assign(new Error('invalid csrf token'), { code: 'EBADCSRFTOKEN', status: 403 });
}
