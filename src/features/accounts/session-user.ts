import type session from 'express-session';
import type pg from 'pg';
import { SESSION_USER_COLUMNS, type SessionUser } from './queries';
import { viewerFromLists, viewerListsSql } from '../applications/queries';
import { PROFILE_COLUMNS, type ProfileRow } from '../registration/queries';
import { readSessionsWith } from '../../web/overrides/session-store';
import { unpaidCountSql } from '../fees/queries';

// The session, its signed-in account, the account's registration and the viewer's lists, in one query.
// An anonymous session finds no account, and the lists' subqueries then look up nothing.
const SESSION_QUERY = `
  SELECT s.sess, ${SESSION_USER_COLUMNS.map((column) => `u.${column}`).join(', ')},
         ${PROFILE_COLUMNS.map((column) => `p.${column} AS profile_${column}`).join(', ')},
         ${viewerListsSql('u.id')},
         ${unpaidCountSql('u.id')}
    FROM session s
    LEFT JOIN users u
      ON s.sess #>> '{passport,user}' ~ '^[0-9]{1,18}$'
     AND u.id = (s.sess #>> '{passport,user}')::bigint
     AND u.status = 'active'
    LEFT JOIN profiles p ON p.user_id = u.id
   WHERE s.sid = $1 AND s.expire >= to_timestamp($2)`;

type SessionRow = Omit<SessionUser, 'profile' | 'viewer'> & {
  sess: session.SessionData;
  records: string[];
  companies: string[];
  contacts: string[];
} & Record<string, unknown>;

function signedInUser(row: SessionRow): SessionUser {
  const id = Number(row.id);
  const profile =
    row.profile_user_id == null
      ? null
      : (Object.fromEntries(
          PROFILE_COLUMNS.map((column) => [column, row[`profile_${column}`]]),
        ) as unknown as ProfileRow);
  if (profile) profile.user_id = id;
  return {
    id,
    email: row.email,
    locale: row.locale,
    role: row.role,
    display_name: row.display_name,
    profile,
    viewer: viewerFromLists(id, row),
    unpaid: Number(row.unpaid),
  };
}

/**
 * Reads a session and what a signed-in page needs of its account in one query instead of four: each
 * round trip to PostgreSQL costs more here than the query itself. The store's get joins the account
 * (active ones only); Passport's deserializeUser then takes it with `take` instead of asking again.
 * Nothing is cached across requests, so a change of access counts from the next request.
 */
export function sessionUserPreload(store: session.Store, pool: pg.Pool) {
  const loaded = new Map<string, { user: SessionUser; at: number }>();
  readSessionsWith(store, async (sid) => {
    // Named: PostgreSQL plans it once per connection (planning took 0.2 ms of its 0.3 ms).
    const { rows } = await pool.query({
      name: 'session-with-user',
      text: SESSION_QUERY,
      values: [sid, Date.now() / 1000],
    });
    const row = rows[0] as SessionRow | undefined;
    if (!row) return null;
    if (row.id != null) {
      // Taken by the same request a moment later; the bound only matters if a request never gets there.
      if (loaded.size > 10_000) loaded.clear();
      loaded.set(sid, { user: signedInUser(row), at: Date.now() });
    }
    return row.sess;
  });
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
