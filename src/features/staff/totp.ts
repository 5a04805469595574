import { generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';

/** A new TOTP secret (base32), for an authenticator app. */
export function newTotpSecret(): string {
  return generateSecret();
}

/** The otpauth:// link and its QR code as inline SVG, for the enrolment page. */
export async function enrolment(secret: string, account: string): Promise<{ uri: string; qrSvg: string }> {
  const uri = generateURI({ issuer: 'Portail SCB', label: account, secret });
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return { uri, qrSvg };
}

/**
 * The time step of a valid code (one step of clock drift allowed either way), or undefined. The caller
 * refuses a step already used, so a code works once.
 */
export async function codeStep(secret: string, code: string): Promise<number | undefined> {
  if (!/^\d{6}$/.test(code)) return undefined;
  const result = await verify({ secret, token: code, epochTolerance: 30 });
  return result.valid && 'timeStep' in result ? Number(result.timeStep) : undefined;
}
