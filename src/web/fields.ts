import { z } from 'zod';
import { normalisePhone, normalisePostalCode } from '../domain/formatting';

// Field schemas several forms share. Messages are translation keys (locales/<lang>/validation.json).

/** An optional text field: blank becomes null. */
export const optionalText = (max: number) =>
  z
    .string({ error: 'validation:text.invalid' })
    .trim()
    .max(max, 'validation:text.tooLong')
    .optional()
    .transform((value) => value || null);

export const requiredText = (key: string, max: number) =>
  z.string({ error: key }).trim().min(1, key).max(max, 'validation:text.tooLong');

export const choice = <T extends string>(values: readonly T[], key: string) =>
  z
    .string({ error: key })
    .optional()
    .transform((value, ctx) => {
      if (!value) return null;
      if (!(values as readonly string[]).includes(value)) {
        ctx.addIssue({ code: 'custom', message: key });
        return z.NEVER;
      }
      return value as T;
    });

export const phone = (requiredKey?: string) =>
  z
    .string({ error: requiredKey ?? 'validation:phone.invalid' })
    .trim()
    .optional()
    .transform((value, ctx) => {
      if (!value) {
        if (requiredKey) ctx.addIssue({ code: 'custom', message: requiredKey });
        return null;
      }
      const digits = normalisePhone(value);
      if (!digits) {
        ctx.addIssue({ code: 'custom', message: 'validation:phone.invalid' });
        return z.NEVER;
      }
      return digits;
    });

export const extension = z
  .string({ error: 'validation:phoneExt.invalid' })
  .trim()
  .regex(/^\d{0,6}$/, 'validation:phoneExt.invalid')
  .optional()
  .transform((value) => value || null);

export const postalCode = z
  .string({ error: 'validation:postalCode.invalid' })
  .trim()
  .optional()
  .transform((value, ctx) => {
    if (!value) return null;
    const normalised = normalisePostalCode(value);
    if (!normalised) {
      ctx.addIssue({ code: 'custom', message: 'validation:postalCode.invalid' });
      return z.NEVER;
    }
    return normalised;
  });
