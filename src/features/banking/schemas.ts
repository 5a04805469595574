import { z } from 'zod';

const digits = (key: string, pattern: RegExp) =>
  z
    .string({ error: `validation:${key}.required` })
    .transform((v) => v.replace(/[\s-]/g, ''))
    .pipe(z.string().min(1, `validation:${key}.required`).regex(pattern, `validation:${key}.invalid`));

/** A Canadian bank account: institution (3 digits), transit (5 digits), account number (7 to 12 digits). */
export const bankForm = z.object({
  institution: digits('institution', /^\d{3}$/),
  transit: digits('transit', /^\d{5}$/),
  account: digits('account', /^\d{7,12}$/),
});

export type BankAccount = z.infer<typeof bankForm>;
export const BANK_FIELD_ORDER = ['institution', 'transit', 'account'];
