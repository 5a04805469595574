import { createHash, randomInt } from 'node:crypto';

// No 0/O, 1/I/L, 5/S, 2/Z, 8/B: nothing a person could misread on a letter.
const ALPHABET = '34679ACDEFGHJKMNPQRTUVWXY';

/** A PIN like "M7D-C4K-TA9": 9 characters from a cryptographic source (about 42 bits). */
export function newPin(): string {
  let raw = '';
  for (let i = 0; i < 9; i += 1) raw += ALPHABET[randomInt(ALPHABET.length)];
  return `${raw.slice(0, 3)}-${raw.slice(3, 6)}-${raw.slice(6)}`;
}

/** What the user typed, in any case, with or without dashes and spaces. */
export function normalisePin(input: string): string {
  return input.replace(/[\s-]/g, '').toUpperCase();
}

/**
 * The PIN's plain digest. Never stored: 42 bits are found from it in hours. What is stored is this digest
 * under a keyed hash (crypto/pin-vault.ts), which the migration that introduced the key could apply to
 * the plain digests then in the database without knowing any PIN.
 */
export function pinDigest(input: string): Buffer {
  return createHash('sha256')
    .update(`pin:${normalisePin(input)}`, 'utf8')
    .digest();
}

/** A PIN that `taken` says is free: retried on the rare collision (about 3.8 × 10^12 possible PINs). */
export async function freshPin(
  hash: (pin: string) => Buffer,
  taken: (pinHash: Buffer) => Promise<boolean>,
): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const pin = newPin();
    if (!(await taken(hash(pin)))) return pin;
  }
  throw new Error('could not find a free PIN in 10 attempts');
}
