import type { Request } from 'express';
import passport, { type PassportStatic } from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { Db } from '../../db/knex';
import { findSessionUser, type SessionUser } from './queries';
import type { AccountsService } from './service';
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
