import { hash, verify } from '@node-rs/argon2';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
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

/**
 * Hashing takes a core for about 65 ms. Unbounded, a flood of sign-ins would take every core (libuv runs
 * four at once) and starve the pages of everyone else; so at most all cores but one hash at a time, and
 * the other requests wait their turn here.
 */
const HASHING_AT_ONCE = Math.max(1, availableParallelism() - 1);
let hashing = 0;
const waiting: (() => void)[] = [];

async function takingTurns<T>(work: () => Promise<T>): Promise<T> {
  if (hashing >= HASHING_AT_ONCE) await new Promise<void>((resolve) => waiting.push(resolve));
  else hashing += 1;
  try {
    return await work();
  } finally {
    // The slot passes straight to the next in line, or is given back.
    const next = waiting.shift();
    if (next) next();
    else hashing -= 1;
  }
}

export function hashPassword(password: string): Promise<string> {
  return takingTurns(() => hash(password, OPTIONS));
}

// Verified against when the email is unknown, so that an unknown address takes as long as a known one.
const dummyHash = hashPassword('no account has this password, it only costs time');

export async function verifyPassword(passwordHash: string | undefined, password: string): Promise<boolean> {
  if (!passwordHash) {
    const dummy = await dummyHash;
    await takingTurns(() => verify(dummy, password)).catch(() => false);
    return false;
  }
  return takingTurns(() => verify(passwordHash, password)).catch(() => false);
}
