import { afterAll, afterEach, describe, expect, it } from 'vitest';
import {
  commonPasswordCount,
  defaultPasswordHashing,
  HashingBusyError,
  isCommonPassword,
  passwordHashing,
} from './passwords';

// The portal's own hashing, as createServices builds it.
const portalHashing = defaultPasswordHashing();
const { hash: hashPassword, verify: verifyPassword } = portalHashing;
afterAll(() => portalHashing.stop());

describe('password rules', () => {
  it('ships a list of at least 10,000 common passwords', () => {
    expect(commonPasswordCount()).toBeGreaterThanOrEqual(10_000);
  });

  it('refuses listed passwords, padded ones and single repeated characters, whatever the case', () => {
    for (const p of [
      'password1234',
      'QWERTYUIOP123',
      'iloveyou12345',
      '!!password2024!!',
      'aaaaaaaaaaaaaa',
      'abababababab',
    ]) {
      expect(isCommonPassword(p), p).toBe(true);
    }
  });

  it('accepts a passphrase', () => {
    expect(isCommonPassword('maple syrup on snowy tuesdays')).toBe(false);
    expect(isCommonPassword('Tr0mbone-Lantern-Quay')).toBe(false);
  });

  it('hashes with argon2id at 19 MiB, 2 passes, 1 lane, and verifies', async () => {
    const hash = await hashPassword('maple syrup on snowy tuesdays');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await verifyPassword(hash, 'maple syrup on snowy tuesdays')).toBe(true);
    expect(await verifyPassword(hash, 'maple syrup on snowy tuesday')).toBe(false);
    expect(await verifyPassword(undefined, 'anything')).toBe(false);
  });
});

/** A hash of the test passphrase, and the fastest of three verifies of it on this machine (≥ 1 ms). */
async function hashingSpeed(): Promise<{ hash: string; oneHashMs: number }> {
  const probe = passwordHashing({ threads: 1, maxWaiting: 10, timeLimitMs: 60_000 });
  const hash = await probe.hash('maple syrup on snowy tuesdays');
  let oneHashMs = Infinity;
  for (let i = 0; i < 3; i++) {
    const started = performance.now();
    await probe.verify(hash, 'maple syrup on snowy tuesdays');
    oneHashMs = Math.min(oneHashMs, Math.max(1, performance.now() - started));
  }
  await probe.stop();
  return { hash, oneHashMs };
}

describe('password hashing under pressure', () => {
  let hashing: ReturnType<typeof passwordHashing> | undefined;
  afterEach(() => hashing?.stop());

  it('refuses at once beyond the waiting limit, with a "busy" error, and serves the rest', async () => {
    hashing = passwordHashing({ threads: 1, maxWaiting: 2, timeLimitMs: 60_000 });
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => hashing!.verify(undefined, 'not the password at all')),
    );
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    // One hashing, two waiting; the others refused without waiting.
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(HashingBusyError);
  });

  it('lets a hash that started finish, however short the limit: only waiting ones give up', async () => {
    const { hash, oneHashMs } = await hashingSpeed();
    // A limit shorter than one hash: before, piscina aborted the hash under way and ended its thread.
    hashing = passwordHashing({ threads: 1, maxWaiting: 10, timeLimitMs: Math.max(1, oneHashMs / 3) });
    const results = await Promise.allSettled(
      Array.from({ length: 4 }, () => hashing!.verify(hash, 'maple syrup on snowy tuesdays')),
    );
    expect(results[0]).toEqual({ status: 'fulfilled', value: true });
    for (const r of results.slice(1)) {
      expect(r.status).toBe('rejected');
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(HashingBusyError);
    }
  });

  it('gives up on a hash not done within the time limit, with a "busy" error', async () => {
    // The limit is set from this machine's hashing speed, so that the queue holds four limits of work.
    // The fastest of three, so that the queue holds at least four limits of work however fast it runs;
    // a limit of twenty hashes leaves the first its time even when the other test files load the cores.
    const { hash, oneHashMs } = await hashingSpeed();
    const timeLimitMs = Math.ceil(Math.max(100, 20 * oneHashMs));
    hashing = passwordHashing({ threads: 1, maxWaiting: 1000, timeLimitMs });
    await hashing.verify(hash, 'maple syrup on snowy tuesdays'); // the thread is up
    const results = await Promise.allSettled(
      Array.from({ length: Math.ceil((4 * timeLimitMs) / oneHashMs) + 10 }, () =>
        hashing!.verify(hash, 'maple syrup on snowy tuesdays'),
      ),
    );
    expect(results[0]).toEqual({ status: 'fulfilled', value: true });
    const refused = results.filter((r) => r.status === 'rejected');
    expect(refused.length).toBeGreaterThan(results.length / 2);
    for (const r of refused) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(HashingBusyError);
  });
});
