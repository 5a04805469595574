import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import { portalCookie } from './cookies';

export const IDLE_TIMEOUT_MS = 30 * 60 * 1000;
export const ABSOLUTE_TIMEOUT_MS = 12 * 60 * 60 * 1000;

/** A session's expiry is pushed back in the database at most this often (see throttledTouch). */
export const TOUCH_EVERY_MS = 60 * 1000;

/**
 * The store's touch (an UPDATE, so a commit waiting on the disk, on every request of a signed-in user)
 * done at most once a minute per session by this process. The idle limit is then between 29 and 30
 * minutes instead of exactly 30; a save (any change to the session) still writes the expiry at once.
 */
function throttledTouch(store: session.Store): session.Store {
  const lastWrite = new Map<string, number>();
  const remember = (sid: string, now: number) => {
    lastWrite.set(sid, now);
    // Forget sessions not seen for a minute, so the map holds only the sessions in use.
    if (lastWrite.size > 10_000) {
      for (const [id, at] of lastWrite) if (now - at >= TOUCH_EVERY_MS) lastWrite.delete(id);
    }
  };
  const touch = store.touch!.bind(store);
  const set = store.set.bind(store);
  const destroy = store.destroy.bind(store);
  store.touch = (sid, sess, callback) => {
    const now = Date.now();
    const last = lastWrite.get(sid);
    if (last !== undefined && now >= last && now - last < TOUCH_EVERY_MS) return callback?.();
    remember(sid, now);
    touch(sid, sess, callback);
  };
  store.set = (sid, sess, callback) => {
    remember(sid, Date.now());
    set(sid, sess, callback);
  };
  store.destroy = (sid, callback) => {
    lastWrite.delete(sid);
    destroy(sid, callback);
  };
  return store;
}

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
      pruneSessionInterval: options.production ? 15 * 60 : false,
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

/**
 * express-session writes a response's headers before its save of the session has finished, so a browser
 * can follow a 303 (a POST's redirect) with a request that still reads the session as it was: the page
 * after "Vérifier le code" then did not yet know the second factor was proved. A redirect therefore
 * waits for the save when the request changed the session.
 */
export const saveBeforeRedirect: RequestHandler = (req, res, next) => {
  const loaded = req.session ? JSON.stringify(req.session) : undefined;
  const redirect = res.redirect.bind(res) as (...args: unknown[]) => void;
  res.redirect = ((...args: unknown[]) => {
    const session = req.session;
    if (!session || JSON.stringify(session) === loaded) return redirect(...args);
    session.save((error) => (error ? next(error) : redirect(...args)));
  }) as typeof res.redirect;
  next();
};
