import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Only its hash is stored; the user holds the only copy of the token. */
export function newToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashToken(token) };
}

export function hashToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

export const HOUR_MS = 60 * 60 * 1000;
export const ACTIVATION_TTL_MS = 48 * HOUR_MS;
export const PASSWORD_RESET_TTL_MS = 1 * HOUR_MS;
export const EMAIL_CHANGE_TTL_MS = 24 * HOUR_MS;
