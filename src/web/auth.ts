import type { Request, RequestHandler } from 'express';
import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../db/knex';
import { findSessionUser, type SessionUser } from '../features/accounts/queries';
import type { AccountsService } from '../features/accounts/service';
import { ForbiddenError } from './errors';
import { flash } from './flash';
import { pathFor } from './paths';
import type { SessionUserPreload } from './session-user';

/** Passport keeps only the user id in the session and reads the account back on each request. */
export function createPassport(
  db: Db,
  accounts: AccountsService,
  signedInUsers: SessionUserPreload,
): PassportStatic {
  const instance = new passport.Passport() as unknown as PassportStatic;
  instance.serializeUser((user, done) => done(null, String((user as SessionUser).id)));
  instance.deserializeUser(
    (req: Request, id: string, done: (error: unknown, user?: Express.User | false) => void) => {
      // Usually read with the session already; asked again only when it was not (a session saved since).
      const known = signedInUsers.take(req.sessionID, Number(id));
      if (known) return done(null, known);
      findSessionUser(db, Number(id)).then(
        (user) => done(null, user ?? false),
        (error: unknown) => done(error),
      );
    },
  );
  instance.use(
    new LocalStrategy({ usernameField: 'email', passReqToCallback: true }, (req, email, password, done) => {
      accounts.signIn({ email, password, ip: req.ip }).then(
        (result) => (result.ok ? done(null, result.user) : done(null, false, { message: result.reason })),
        (error: unknown) => done(error),
      );
    }),
  );
  return instance;
}

/**
 * Starts a signed-in session under a new id (no fixation), remembering when, for the 12-hour limit.
 * `signedInAt` is kept when an existing session only rotates its id (after a password change).
 */
export function startSession(req: Request, user: SessionUser, signedInAt = Date.now()): Promise<void> {
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
