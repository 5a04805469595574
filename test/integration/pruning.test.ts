import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PRUNE_TASK, pruneExpired } from '../../src/db/prune';
import { startMailWorker } from '../../src/mail/worker';
import { signedUpUser } from '../support/accounts';
import { testPortal } from '../support/app';
import { visitor } from '../support/browser-like';

/** Issue 18 item 5: tables that grow forever don't. */
const portal = testPortal();
const { app, runtime } = portal;
const db = runtime.db;
afterAll(() => portal.close());

const minutes = (n: number) => new Date(Date.now() + n * 60_000);
const unique = () => randomBytes(8).toString('hex');

describe('the scheduled pruning', () => {
  it('deletes expired sessions, rate-limit windows, old links, old wrong PINs and old failed jobs, and keeps the rest', async () => {
    const { email } = await signedUpUser(visitor(app));
    const user = await db('users').where({ email }).first('id');
    const [oldSession, liveSession] = [unique(), unique()];
    await db('session').insert([
      { sid: oldSession, sess: {}, expire: minutes(-1) },
      { sid: liveSession, sess: {}, expire: minutes(29) },
    ]);
    const [oldWindow, liveWindow] = [`test:${unique()}`, `test:${unique()}`];
    await db('rate_limits').insert([
      { key: oldWindow, points: 3, expire: Date.now() - 1000 },
      { key: liveWindow, points: 3, expire: Date.now() + 60_000 },
    ]);
    const token = (expires: Date) => ({
      user_id: user.id,
      purpose: 'password_reset',
      token_hash: randomBytes(32),
      expires_at: expires,
    });
    const [{ id: oldToken }, { id: recentToken }] = await db('account_tokens')
      .insert([token(minutes(-8 * 24 * 60)), token(minutes(-6 * 24 * 60))])
      .returning('id');
    const [{ id: oldGuess }, { id: recentGuess }] = await db('pin_failures')
      .insert([
        { kind: 'company', user_id: user.id, occurred_at: minutes(-25 * 60) },
        { kind: 'company', user_id: user.id, occurred_at: minutes(-30) },
      ])
      .returning('id');
    // Jobs of a task no worker runs, failed for good 31 and 29 days ago.
    const task = `test_failed_${unique()}`;
    for (const days of [31, 29]) {
      const { rows } = await db.raw('SELECT id FROM graphile_worker.add_job(?, max_attempts => 1)', [task]);
      await db.raw(
        `UPDATE graphile_worker._private_jobs SET attempts = 1, updated_at = now() - make_interval(days => ?)
          WHERE id = ?`,
        [days, rows[0].id],
      );
    }

    const pruned = await pruneExpired(runtime.sessionPool);

    expect(pruned.session).toBeGreaterThanOrEqual(1);
    expect(await db('session').whereIn('sid', [oldSession, liveSession]).pluck('sid')).toEqual([liveSession]);
    expect(await db('rate_limits').whereIn('key', [oldWindow, liveWindow]).pluck('key')).toEqual([
      liveWindow,
    ]);
    expect(await db('account_tokens').whereIn('id', [oldToken, recentToken]).pluck('id')).toEqual([
      recentToken,
    ]);
    expect(await db('pin_failures').whereIn('id', [oldGuess, recentGuess]).pluck('id')).toEqual([
      recentGuess,
    ]);
    const left = await db.raw(
      'SELECT count(*)::int AS n FROM graphile_worker.jobs WHERE task_identifier = ?',
      [task],
    );
    expect(left.rows[0].n).toBe(1);
    // The user's own activation link, still valid, is kept.
    expect(await db('account_tokens').where({ user_id: user.id, purpose: 'activation' })).toHaveLength(1);
  });

  it('is scheduled in the job queue, once for every instance, not by a timer in each process', async () => {
    // graphile-worker records each crontab entry it schedules (and its last run) in the database.
    const known = () =>
      db.raw('SELECT identifier FROM graphile_worker._private_known_crontabs WHERE identifier = ?', [
        PRUNE_TASK,
      ]);
    await db.raw('DELETE FROM graphile_worker._private_known_crontabs WHERE identifier = ?', [PRUNE_TASK]);
    const worker = await startMailWorker({ ...runtime, pgPool: runtime.sessionPool });
    try {
      await expect.poll(async () => (await known()).rows.length, { timeout: 10_000 }).toBe(1);
    } finally {
      await worker.stop();
    }
  });
});
