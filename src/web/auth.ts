import type { Request, RequestHandler } from 'express';
import { ForbiddenError } from '../errors';
import { flash } from './flash';
import { pathFor } from './paths';

/**
 * Starts a signed-in session under a new id (no fixation), remembering when, for the 12-hour limit.
 * `signedInAt` is kept when an existing session only rotates its id (after a password change).
 */
export function startSession(req: Request, user: Express.User, signedInAt = Date.now()): Promise<void> {
  return new Promise((resolve, reject) => {
    req.login(user, (error) => {
      if (error) return reject(error);
      req.session.signedInAt = signedInAt;
      resolve();
    });
  });
}

/** Drops whatever the session held (a signed-in user included) and carries on under a new, empty one. */
export function freshSession(req: Request): Promise<void> {
  return new Promise((resolve, reject) =>
    req.session.regenerate((error) => (error ? reject(error) : resolve())),
  );
}

/** The client portal's pages: a signed-in client. A staff account may not act as a client (403). */
export const requireSignIn: RequestHandler = (req, res, next) => {
  if (req.user?.role === 'staff') throw new ForbiddenError();
  if (req.user) return next();
  if (req.method === 'GET') req.session.returnTo = req.originalUrl;
  if (!req.session.flash) flash(req, 'flash.signInRequired');
  res.redirect(303, pathFor('signIn', req.lang));
};

/** Only local paths are followed after sign-in, so a crafted link cannot send the user elsewhere. */
export function safeReturnTo(value: unknown): string | undefined {
  return typeof value === 'string' && /^\/(fr|en)\/[^/\\]/.test(value) ? value : undefined;
}
