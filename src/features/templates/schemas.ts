import type { Request } from 'express';
import { z } from 'zod';
import { NotFoundError } from '../../errors';
import { PERMIT_TYPES } from '../../domain/permit-types';

/** "Nouveau modèle": a name, the permit type, the description the application starts with, notes. */
export const templateForm = z.object({
  name: z
    .string({ error: 'validation:templateName.required' })
    .trim()
    .min(1, 'validation:templateName.required')
    .max(100, 'validation:templateName.tooLong'),
  permitType: z.enum(PERMIT_TYPES, { error: 'validation:permitType.required' }),
  description: z
    .string({ error: 'validation:description.required' })
    .trim()
    .min(1, 'validation:description.required')
    .max(2000, 'validation:description.tooLong'),
  notes: z
    .string({ error: 'validation:text.invalid' })
    .trim()
    .max(2000, 'validation:templateNotes.tooLong')
    .default(''),
});

export type TemplateInput = z.infer<typeof templateForm>;
export const TEMPLATE_FIELD_ORDER = ['name', 'permitType', 'description', 'notes'];

/** The template in the address (`:template`); anything but a plain id is no page. */
export function templateParam(req: Request): number {
  const id = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).safeParse(req.params.template);
  if (!id.success || !/^\d+$/.test(String(req.params.template))) throw new NotFoundError();
  return id.data;
}
