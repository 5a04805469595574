import { describe, expect, it } from 'vitest';
import { commonPasswordCount, hashPassword, isCommonPassword, verifyPassword } from './passwords';

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
