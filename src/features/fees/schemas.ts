import { z } from 'zod';
import { cityDay } from '../../domain/business-days';
import { parseDollars } from '../../domain/fees';
import { PERMIT_TYPES } from '../../domain/permit-types';

/** Dollars as typed in either language, to integer cents (zero allowed: a type may have no flat fee). */
const cents = (key: string) =>
  z
    .string({ error: `validation:${key}.required` })
    .trim()
    .min(1, `validation:${key}.required`)
    .transform((typed, ctx) => {
      const value = parseDollars(typed);
      if (value === undefined) {
        ctx.addIssue({ code: 'custom', message: 'validation:feeAmount.invalid' });
        return z.NEVER;
      }
      return value;
    });

/**
 * A new line of the fee table ("Barème des frais"). It takes effect today or later, never earlier: fees
 * already assessed keep the rate they were assessed at, and the table's history stays true.
 */
export const feeLineForm = z.object({
  permitType: z.enum(PERMIT_TYPES, { error: 'validation:permitType.required' }),
  rate: cents('feeRate'),
  flat: cents('feeFlat'),
  minimum: cents('feeMinimum'),
  effectiveFrom: z.iso
    .date({ error: 'validation:effectiveFrom.invalid' })
    .refine((day) => day >= cityDay(new Date()), 'validation:effectiveFrom.past'),
  reason: z
    .string({ error: 'validation:reason.required' })
    .trim()
    .min(1, 'validation:reason.required')
    .max(1000, 'validation:reason.tooLong'),
});

export const FEE_LINE_ORDER = ['permitType', 'rate', 'flat', 'minimum', 'effectiveFrom', 'reason'];
