import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import { portalCookie } from './cookies';
import { throttledTouch } from './overrides/session-store';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

/**
 * Sessions in PostgreSQL, ending after 30 minutes without a request. The store is returned too, for the
 * accounts feature to read the signed-in account with the session (accounts/session-user.ts).
 */
export function sessions(options: { pool: pg.Pool; secret: string; production: boolean }): {
  middleware: RequestHandler;
  store: session.Store;
} {
  const PgStore = connectPgSimple(session);
  const store = throttledTouch(
    new PgStore({
      pool: options.pool,
      tableName: 'session',
      ttl: IDLE_TIMEOUT_MS / 1000,
      // Expired sessions are deleted by the job queue's pruning (db/prune.ts), not a timer per process.
      pruneSessionInterval: false,
    }),
  );
  const cookie = portalCookie('sid', options.production);
  const handler = session({
    name: cookie.name,
    secret: options.secret,
    store,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    unset: 'destroy',
    cookie: { ...cookie.options, maxAge: IDLE_TIMEOUT_MS },
  });
  // When the session cannot be read (the database is down), express-session would still try to
  // destroy it at the end of the response ("unset: destroy"), and that failure cut the error page off
  // mid-body. Without a session id, this request neither destroys nor saves one.
  const middleware: RequestHandler = (req, res, next) =>
    handler(req, res, (error?: unknown) => {
      if (error) delete (req as { sessionID?: string }).sessionID;
      next(error);
    });
  return { middleware, store };
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
