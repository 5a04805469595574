import type { Request } from 'express';
import { z } from 'zod';
import { pageSize } from '../../web/pagination';
import { NotFoundError } from '../../errors';
import { STATUSES } from '../../domain/application-lifecycle';
import { parseArea } from '../../domain/fees';
import { PERMIT_TYPES } from '../../domain/permit-types';
import { missingToSubmit } from '../../domain/submission';
import { choice, optionalText, postalCode } from '../../web/fields';

/** "Superficie (m²)": hundredths of a m², or null when left empty. */
const floorArea = z
  .string({ error: 'validation:floorArea.invalid' })
  .optional()
  .transform((typed, ctx) => {
    if (!typed?.trim()) return null;
    const hundredths = parseArea(typed);
    if (hundredths === undefined) {
      ctx.addIssue({ code: 'custom', message: 'validation:floorArea.invalid' });
      return z.NEVER;
    }
    return hundredths;
  });

/**
 * "Commencer une demande": permit type, civic address in the city, floor area (for the types whose fee
 * depends on it), description. Each field typed is checked for its format; only "Soumettre" requires
 * them all (missingToSubmit), "Enregistrer comme brouillon" keeps whatever was typed.
 */
export const applicationForm = z
  .object({
    permitType: choice(PERMIT_TYPES, 'validation:permitType.required'),
    streetNumber: z
      .string({ error: 'validation:streetNumber.invalid' })
      .trim()
      .regex(/^(\d{1,6}[A-Za-z]?(-\d{1,6}[A-Za-z]?)?)?$/, 'validation:streetNumber.invalid')
      .optional()
      .transform((v) => v || null),
    streetName: optionalText(100),
    unit: optionalText(10),
    postalCode,
    description: z
      .string({ error: 'validation:description.required' })
      .trim()
      .max(2000, 'validation:description.tooLong')
      .optional()
      .transform((v) => v || null),
    /** "self", or the id of a company for which the user may submit. */
    onBehalfOf: z
      .string({ error: 'validation:onBehalfOf.invalid' })
      .regex(/^(self|\d{1,18})$/, 'validation:onBehalfOf.invalid')
      .default('self'),
    floorArea,
    action: z.enum(['submit', 'draft']).default('submit'),
  })
  .superRefine(
    (input, ctx) => {
      if (input.action === 'draft') return;
      for (const field of missingToSubmit(input))
        ctx.addIssue({ code: 'custom', path: [field], message: `validation:${field}.required` });
    },
    // Also when another field is wrong, so that every empty field is named at once (a field whose format
    // is wrong still holds what was typed here, and is not called empty).
    { when: () => true },
  );

export type ApplicationInput = z.infer<typeof applicationForm>;
export const APPLICATION_FIELD_ORDER = [
  'permitType',
  'streetNumber',
  'streetName',
  'unit',
  'postalCode',
  'floorArea',
  'description',
];

export const PERIODS = ['6m', '12m', 'all'] as const;

/** The grid's filters from the query string; anything odd falls back to the default rather than failing. */
export const listQuery = z.object({
  period: z.enum(PERIODS).catch('6m'),
  status: z.enum([...STATUSES, 'all']).catch('all'),
  size: pageSize,
  page: z.coerce.number().int().min(1).max(100_000).catch(1),
  // "Recherche" in the header: a file number or part of an address; anything odd is no search.
  q: z.string().trim().max(100).catch('').default(''),
});

export type ListQuery = z.infer<typeof listQuery>;

/** A file number (CON-2024-000409) or a draft's reference (B123). */
export const applicationRef = z.string().regex(/^(CON-\d{4}-\d{6}|B\d{1,18})$/);

/** The application in a page's address (:ref); anything else is a page that does not exist. */
export function refParam(req: Request): string {
  const ref = applicationRef.safeParse(req.params.ref);
  if (!ref.success) throw new NotFoundError();
  return ref.data;
}

/** A file number in a staff page's address (:number); anything else is a page that does not exist. */
export function fileNumberParam(req: Request): string {
  const number = z
    .string()
    .regex(/^CON-\d{4}-\d{6}$/)
    .safeParse(req.params.number);
  if (!number.success) throw new NotFoundError();
  return number.data;
}
