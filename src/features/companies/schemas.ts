import { z } from 'zod';
import { PERMISSIONS, type Permission } from '../../domain/company-permissions';
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

const ids = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]));

/**
 * "Enregistrer les autorisations": the rows the page showed (row=<user id>) and each ticked permission
 * cell (cell=<user id>:<permission>). A row shown with no cell ticked loses every permission; a cell for
 * a row not shown, or any odd value, refuses the whole form.
 */
export const permissionGridForm = z.object({ row: ids, cell: ids }).transform((form, ctx) => {
  const rows = new Map<number, Set<Permission>>();
  for (const row of form.row) {
    if (!/^\d{1,18}$/.test(row) || rows.size >= 100) {
      ctx.addIssue({ code: 'custom', message: 'validation:bulk.noneSelected' });
      return z.NEVER;
    }
    rows.set(Number(row), new Set());
  }
  for (const cell of form.cell) {
    const [, id, permission] = /^(\d{1,18}):(\w+)$/.exec(cell) ?? [];
    const set = rows.get(Number(id));
    if (!set || !(PERMISSIONS as readonly string[]).includes(permission!)) {
      ctx.addIssue({ code: 'custom', message: 'validation:bulk.noneSelected' });
      return z.NEVER;
    }
    set.add(permission as Permission);
  }
  if (!rows.size) {
    ctx.addIssue({ code: 'custom', message: 'validation:bulk.noneSelected' });
    return z.NEVER;
  }
  return rows;
});

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
