import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { testPortal } from '../support/app';
import { submitForm, uniqueEmail, visitor } from '../support/browser-like';

/**
 * Issue 18 item 4: two portal instances on one database count the same hits. Before, each process
 * counted in its own memory, so a visitor alternating between two instances had twice the tries.
 */
const one = testPortal();
const two = testPortal();
afterAll(() => Promise.all([one.close(), two.close()]));
const db = one.runtime.db;

const SIGN_UP = '/fr/creer-un-compte';
const signIn = (agent: ReturnType<typeof visitor>, email: string) =>
  submitForm(agent, '/fr/connexion', '/fr/connexion', { email, password: 'wrong password' });

describe('rate limits shared by every instance on the database', () => {
  it('refuses the 31st failed sign-in from an address, its tries split between two instances', async () => {
    const onOne = visitor(one.app);
    const onTwo = visitor(two.app, onOne.ip);
    const statuses: number[] = [];
    for (let i = 0; i < 30; i += 1)
      statuses.push((await signIn(i % 2 ? onTwo : onOne, uniqueEmail())).status);
    expect(statuses.every((s) => s === 401)).toBe(true);
    // Each instance saw 15: alone, either would still let it through.
    expect((await signIn(onOne, uniqueEmail())).status).toBe(429);
    expect((await signIn(onTwo, uniqueEmail())).status).toBe(429);

    const row = await db('rate_limits')
      .where({ key: `sign-in:${onOne.ip}` })
      .first();
    expect(row.points).toBeGreaterThanOrEqual(31);
    expect(Number(row.expire)).toBeGreaterThan(Date.now() + 14 * 60_000);
    const refusals = await db('audit_events').where({ event: 'rate_limit.hit', ip: onOne.ip });
    expect(refusals).toHaveLength(2);
  });

  it('counts one inbox across instances and addresses: the 4th sign-up for an email is refused', async () => {
    const email = uniqueEmail('inbox');
    const statuses: number[] = [];
    // A new address each time, so only the per-email limit (3 an hour) can refuse.
    for (let i = 0; i < 4; i += 1) {
      const agent = visitor(i % 2 ? two.app : one.app);
      statuses.push((await submitForm(agent, SIGN_UP, SIGN_UP, { email, emailConfirm: email })).status);
    }
    expect(statuses.slice(0, 3)).not.toContain(429);
    expect(statuses[3]).toBe(429);
  });

  it('counts no bucket for what cannot be an address: the fifth person who forgets theirs is told so, not 429', async () => {
    const buckets = ['sign-up-email:email:', 'sign-up-email:email:not-an-email'];
    await db('rate_limits').whereIn('key', buckets).delete();
    for (const email of ['', '', 'not-an-email', '', '']) {
      const response = await submitForm(visitor(two.app), SIGN_UP, SIGN_UP, { email, emailConfirm: email });
      expect(response.status).toBe(422);
    }
    expect(
      await db('rate_limits').whereIn('key', ['sign-up-email:email:', 'sign-up-email:email:not-an-email']),
    ).toEqual([]);
  });

  it('keeps a key made of a very long typed address as its hash, and answers as usual', async () => {
    const long = `${'a'.repeat(3000)}.${Date.now()}@example.test`;
    const response = await submitForm(visitor(one.app), SIGN_UP, SIGN_UP, {
      email: long,
      emailConfirm: long,
    });
    expect(response.status).toBeLessThan(500);
    const hash = createHash('sha256').update(`email:${long}`).digest('hex');
    const row = await db('rate_limits')
      .where({ key: `sign-up-email:sha256:${hash}` })
      .first();
    expect(row?.points).toBe(1);
    const { n } = (await db('rate_limits').whereRaw('length(key) > 300').count('* as n').first())!;
    expect(Number(n)).toBe(0);
  });
});
