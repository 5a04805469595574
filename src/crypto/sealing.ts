import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Secrets that must be read back later are sealed (AES-256-GCM, a key per purpose derived from the
 * session secret), so a copy of the database alone reveals none: the links with single-use tokens that
 * wait in the mail queue, and the company PINs shown to their managers.
 */
export interface Sealer {
  seal: (value: Record<string, string>) => string;
  /**
   * Undefined when the value was sealed under another secret (SESSION_SECRET was changed) or altered:
   * the authentication tag refuses it. Each caller says what that means for what it kept.
   */
  open: (sealed: string) => Record<string, string> | undefined;
}

/** What each sealer keeps; a key per purpose, so one sealer cannot open another's values. */
export type SealingPurpose = 'queued-mail-secrets' | 'totp' | 'company-pins' | 'bank-accounts';

export function createSealer(secret: string, purpose: SealingPurpose): Sealer {
  const key = Buffer.from(hkdfSync('sha256', secret, 'permit-portal', purpose, 32));
  return {
    seal(value) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(sealed) {
      const raw = Buffer.from(sealed, 'base64url');
      if (raw.length < 28) return undefined;
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      let body: Buffer;
      try {
        body = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
      } catch {
        return undefined; // "Unsupported state or unable to authenticate data"
      }
      return JSON.parse(body.toString('utf8')) as Record<string, string>;
    },
  };
}
