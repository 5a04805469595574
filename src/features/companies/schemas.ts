import { z } from 'zod';
import { PERMISSIONS } from '../../domain/company-permissions';
import { extension, optionalText, phone, requiredText } from '../../web/fields';
import { addressFields } from '../registration/address';

/** "Détails", "Coordonnées" and "Adresse postale" of a professional or contractor. */
export const companyForm = z.object({
  legalName: requiredText('validation:legalName.required', 200),
  operatingName: optionalText(200),
  tarionNumber: z
    .string({ error: 'validation:tarion.invalid' })
    .trim()
    .regex(/^[A-Za-z0-9-]{0,20}$/, 'validation:tarion.invalid')
    .optional()
    .transform((v) => v || null),
  phone: phone('validation:phone.required'),
  phoneExt: extension,
  email: z
    .string({ error: 'validation:email.invalid' })
    .trim()
    .max(254, 'validation:email.tooLong')
    .optional()
    .transform((v) => v || null)
    .pipe(z.email('validation:email.invalid').nullable()),
  ...addressFields,
});

export type CompanyInput = z.infer<typeof companyForm>;
export const COMPANY_FIELD_ORDER = Object.keys(companyForm.shape);

export const associateForm = z.object({
  pin: z
    .string({ error: 'validation:companyPin.required' })
    .trim()
    .min(1, 'validation:companyPin.required')
    .max(40, 'validation:companyPin.invalid'),
});

export const BULK_ACTIONS = [
  ...PERMISSIONS.map((p) => `grant_${p}` as const),
  'revoke_all',
  'remove',
] as const;
export type BulkAction = (typeof BULK_ACTIONS)[number];

/** The Comptes associés form: the ticked rows and the button pressed. */
export const bulkForm = z.object({
  action: z.enum(BULK_ACTIONS, { error: 'validation:bulk.action' }),
  members: z
    .union([z.string(), z.array(z.string())], { error: 'validation:bulk.noneSelected' })
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .pipe(
      z
        .array(
          z
            .string()
            .regex(/^\d{1,18}$/, 'validation:bulk.noneSelected')
            .transform(Number),
        )
        .min(1)
        .max(100),
    ),
});

export const companyId = z
  .string()
  .regex(/^\d{1,18}$/)
  .transform(Number);
