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

/** Only this is stored; the PIN itself exists on the letter and, once, on the screen that creates it. */
export function hashPin(input: string): Buffer {
  return createHash('sha256')
    .update(`pin:${normalisePin(input)}`, 'utf8')
    .digest();
}

/** A PIN that `taken` says is free: retried on the rare collision (about 3.8 × 10^12 possible PINs). */
export async function freshPin(taken: (pinHash: Buffer) => Promise<boolean>): Promise<string> {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    const pin = newPin();
    if (!(await taken(hashPin(pin)))) return pin;
  }
  throw new Error('could not find a free PIN in 10 attempts');
}
