import type session from 'express-session';
import type pg from 'pg';
import { SESSION_USER_COLUMNS, type SessionUser } from '../features/accounts/queries';

/**
 * Reads a session and its signed-in account in one query instead of two: each round trip to PostgreSQL
 * costs more here than the query itself. The store's get joins the account (active ones only); Passport's
 * deserializeUser then takes it with `take` instead of asking the database again.
 */
export function sessionUserPreload(store: session.Store, pool: pg.Pool) {
  const loaded = new Map<string, { user: SessionUser; at: number }>();
  const columns = SESSION_USER_COLUMNS.map((column) => `u.${column}`).join(', ');
  store.get = (sid, callback) => {
    pool
      .query(
        `SELECT s.sess, ${columns}
           FROM session s
           LEFT JOIN users u
             ON s.sess #>> '{passport,user}' ~ '^[0-9]{1,18}$'
            AND u.id = (s.sess #>> '{passport,user}')::bigint
            AND u.status = 'active'
          WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`,
        [sid, Date.now() / 1000],
      )
      .then(({ rows }) => {
        const row = rows[0] as (SessionUser & { sess: session.SessionData }) | undefined;
        if (!row) return callback(null, null);
        const { sess, ...user } = row;
        if (user.id != null) {
          // Taken by the same request a moment later; the bound only matters if a request never gets there.
          if (loaded.size > 10_000) loaded.clear();
          loaded.set(sid, { user: { ...user, id: Number(user.id) }, at: Date.now() });
        }
        callback(null, sess);
      })
      .catch((error: unknown) => callback(error));
  };
  return {
    /** The account read with this session just now, if it is the one the session names (once per request). */
    take(sid: string, id: number): SessionUser | undefined {
      const entry = loaded.get(sid);
      loaded.delete(sid);
      // A second old entry (its request ended before Passport) is not trusted: the account is read again.
      const fresh = entry && Date.now() - entry.at < 1000;
      return fresh && entry.user.id === id ? entry.user : undefined;
    },
  };
}

export type SessionUserPreload = ReturnType<typeof sessionUserPreload>;
