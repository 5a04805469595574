import type session from 'express-session';

// Every place where the portal replaces a method of a library's object lives in this folder, each with a
// test (overrides.test.ts) that fails if an upgrade of the library changes what the override relies on.

/** A session's expiry is pushed back in the database at most this often (see throttledTouch). */
export const TOUCH_EVERY_MS = 60 * 1000;

/**
 * The store's touch (an UPDATE, so a commit waiting on the disk, on every request of a signed-in user)
 * done at most once a minute per session by this process. The idle limit is then between 29 and 30
 * minutes instead of exactly 30; a save (any change to the session) still writes the expiry at once.
 */
export function throttledTouch(store: session.Store): session.Store {
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
 * Replaces the store's get with `read`, which loads the session row (and, for the accounts feature, the
 * signed-in account in the same query: accounts/session-user.ts). express-session calls get once per
 * request that carries a session cookie.
 */
export function readSessionsWith(
  store: session.Store,
  read: (sid: string) => Promise<session.SessionData | null>,
): void {
  store.get = (sid, callback) => {
    read(sid).then(
      (sess) => callback(null, sess),
      (error: unknown) => callback(error),
    );
  };
}
