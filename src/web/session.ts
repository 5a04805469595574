import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

export function sessionCookieName(production: boolean): string {
  // __Host- makes the browser refuse the cookie unless it is Secure, host-only and for path /.
  return production ? '__Host-portal.sid' : 'portal.sid';
}

/** Sessions in PostgreSQL, ending after 30 minutes without a request. */
export function sessions(options: { pool: pg.Pool; secret: string; production: boolean }): RequestHandler {
  const PgStore = connectPgSimple(session);
  return session({
    name: sessionCookieName(options.production),
    secret: options.secret,
    store: new PgStore({
      pool: options.pool,
      tableName: 'session',
      ttl: IDLE_TIMEOUT_MS / 1000,
      pruneSessionInterval: options.production ? 15 * 60 : false,
    }),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: options.production,
      path: '/',
      maxAge: IDLE_TIMEOUT_MS,
    },
  });
}

/** Signs out a session older than 12 hours, however active it has been: the old one is destroyed. */
export const absoluteTimeout: RequestHandler = (req, _res, next) => {
  const signedInAt = req.session?.signedInAt;
  if (signedInAt && Date.now() - signedInAt > ABSOLUTE_TIMEOUT_MS) {
    req.session.regenerate((error) => {
      if (error) return next(error);
      req.session.flash = { key: 'flash.sessionExpired' };
      next();
    });
    return;
  }
  next();
};
