import { createHmac, hkdfSync } from 'node:crypto';
import { pinDigest } from '../domain/pins';
import { createSealer } from './sealing';

/**
 * What the portal keeps of a PIN. For finding a record by the PIN typed: a keyed hash (HMAC-SHA256, its
 * key derived from the session secret), so a copy of the database alone yields no PIN — an unkeyed hash
 * of 42 bits would. For showing a company's PIN to its managers and printing a letter: the PIN sealed
 * (sealing.ts). Changing SESSION_SECRET therefore retires every PIN (managers then make new ones).
 */
export interface PinVault {
  hash: (pin: string) => Buffer;
  seal: (pin: string) => string;
  /** Undefined once SESSION_SECRET has changed: the PIN is retired (its keyed hash no longer matches either). */
  open: (sealed: string) => string | undefined;
}

export function pinHashKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', secret, 'permit-portal', 'pin-hash', 32));
}

/** The keyed hash of a plain PIN digest (also how the migration re-keyed the digests it found). */
export function keyedPinHash(key: Buffer, digest: Buffer): Buffer {
  return createHmac('sha256', key).update(digest).digest();
}

export function createPinVault(secret: string): PinVault {
  const key = pinHashKey(secret);
  const sealer = createSealer(secret, 'company-pins');
  return {
    hash: (pin) => keyedPinHash(key, pinDigest(pin)),
    seal: (pin) => sealer.seal({ pin }),
    open: (sealed) => sealer.open(sealed)?.pin,
  };
}
