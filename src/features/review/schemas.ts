import { z } from 'zod';
import { STATUSES } from '../../domain/application-lifecycle';
import { parseDollars } from '../../domain/fees';
import type { ActionInput, StaffAction } from './staff-moves';

/** The status the page showed: if another staff member moved the application since, this one is told. */
const seen = z.enum(STATUSES).optional().catch(undefined);

const required = (key: string, max: number) =>
  z
    .string({ error: `validation:${key}.required` })
    .trim()
    .min(1, `validation:${key}.required`)
    .max(max, `validation:${key}.tooLong`);

const optional = (key: string, max: number) =>
  z.string().trim().max(max, `validation:${key}.tooLong`).optional().catch(undefined);

/** "Montant": dollars as typed in either language, to integer cents (more than zero). */
const dollars = z
  .string({ error: 'validation:feeAmount.required' })
  .trim()
  .min(1, 'validation:feeAmount.required')
  .transform((typed, ctx) => {
    const cents = parseDollars(typed);
    if (!cents) {
      ctx.addIssue({ code: 'custom', message: 'validation:feeAmount.invalid' });
      return z.NEVER;
    }
    return cents;
  });

/** One item per line, blank lines ignored (an absent field is no line). */
const lines = z
  .string()
  .optional()
  .catch(undefined)
  .transform((text) =>
    (text ?? '')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().max(1000, 'validation:deficiencies.tooLong')));

/**
 * "Demander des renseignements": information to give (one per line) and documents to upload (one per
 * line, each answered by an upload); at least one of either, 20 at most in all.
 */
const informationRequest = z
  .object({ seen, deficiencies: lines, documents: lines })
  .superRefine(({ deficiencies, documents }, ctx) => {
    const count = deficiencies.length + documents.length;
    if (count === 0)
      ctx.addIssue({ code: 'custom', path: ['deficiencies'], message: 'validation:deficiencies.required' });
    if (count > 20)
      ctx.addIssue({ code: 'custom', path: ['deficiencies'], message: 'validation:deficiencies.tooMany' });
  });

/**
 * Each staff action's form, with its own field names (the page holds every form at once, so a message
 * shows beside the form that was sent), parsed to the action's input.
 */
export const ACTION_FORMS: Record<
  StaffAction,
  z.ZodType<ActionInput & { seen?: (typeof STATUSES)[number] }>
> = {
  startReview: z.object({ seen }),
  requestInformation: informationRequest,
  resumeReview: z
    .object({ seen, resumeReason: optional('reason', 1000) })
    .transform(({ resumeReason, ...rest }) => ({
      ...rest,
      reason: resumeReason || undefined,
    })),
  assessFees: z
    .object({ seen, feeAmount: dollars, feesReason: optional('reason', 1000) })
    .transform(({ feeAmount, feesReason, ...rest }) => ({
      ...rest,
      amountCents: feeAmount,
      reason: feesReason ?? '',
    })),
  issue: z.object({ seen, conditions: optional('conditions', 2000) }),
  refuse: z
    .object({ seen, refuseReason: required('refusal', 2000) })
    .transform(({ refuseReason, ...rest }) => ({ ...rest, reason: refuseReason })),
  close: z
    .object({ seen, closeReason: required('reason', 1000) })
    .transform(({ closeReason, ...rest }) => ({ ...rest, reason: closeReason })),
};

/** The multi-line fields of the action forms. */
export const ACTION_MULTILINE = [
  'deficiencies',
  'documents',
  'resumeReason',
  'feesReason',
  'conditions',
  'refuseReason',
  'closeReason',
];

/** A message ("Messages"), or a reply to a deficiency ("Répondre"); staff may tick "note for staff only". */
export const messageForm = z.object({
  body: required('message', 5000),
  note: z
    .literal('on')
    .optional()
    .catch(undefined)
    .transform((v) => v === 'on'),
});
