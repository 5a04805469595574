import { hash, verify } from '@node-rs/argon2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// OWASP's first argon2id configuration: 19 MiB of memory, 2 iterations, 1 lane.
// (Algorithm.Argon2id is 2; the package declares it as a const enum, which isolated modules cannot read.)
const ARGON2ID = 2;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19456, timeCost: 2, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 128;

const commonPasswords = new Set(
  readFileSync(join(import.meta.dirname, '..', '..', '..', 'data', 'common-passwords.txt'), 'utf8').split(
    '\n',
  ),
);

export function commonPasswordCount(): number {
  return commonPasswords.size;
}

/**
 * On the list, or a listed password padded with digits and symbols ("iloveyou12345"), or one character
 * repeated: the first things an attacker tries.
 */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  if (commonPasswords.has(lower)) return true;
  if (new Set(lower).size <= 2) return true;
  const core = lower.replace(/^[\d\W_]+|[\d\W_]+$/g, '');
  return core.length >= 4 && commonPasswords.has(core);
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

// Verified against when the email is unknown, so that an unknown address takes as long as a known one.
const dummyHash = hashPassword('no account has this password, it only costs time');

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    await verify(await dummyHash, password).catch(() => false);
    return false;
  }
  return verify(passwordHash, password).catch(() => false);
}
