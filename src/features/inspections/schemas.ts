import { z } from 'zod';
import { WINDOWS } from '../../domain/inspections';
import { phone } from '../../web/fields';

const day = (key: string) =>
  z
    .string({ error: `validation:${key}.required` })
    .trim()
    .min(1, `validation:${key}.required`)
    .regex(/^\d{4}-\d{2}-\d{2}$/, `validation:${key}.invalid`)
    .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)), `validation:${key}.invalid`);

const notes = z.string().trim().max(2000, 'validation:inspectionNotes.tooLong').default('');

/** "Demande d'inspection": the stage, a preferred business day, a contact phone, notes. */
export const inspectionRequestForm = z.object({
  stage: z.string({ error: 'validation:stage.required' }).trim().min(1, 'validation:stage.required').max(40),
  preferredOn: day('preferredOn'),
  contactPhone: phone('validation:phone.required'),
  notes,
});
export type InspectionRequest = z.infer<typeof inspectionRequestForm>;
export const REQUEST_FIELD_ORDER = ['stage', 'preferredOn', 'contactPhone', 'notes'];

/** Staff's "Planifier": the day, morning or afternoon, the inspector. */
export const scheduleForm = z.object({
  day: day('inspectionDay'),
  window: z.enum(WINDOWS, { error: 'validation:inspectionWindow.required' }),
  inspector: z
    .string({ error: 'validation:inspector.required' })
    .trim()
    .min(1, 'validation:inspector.required')
    .max(100, 'validation:inspector.tooLong'),
});
export type ScheduleInput = z.infer<typeof scheduleForm>;

/** Staff's "Résultat": passed, or failed with what must be corrected. */
export const resultForm = z
  .object({
    outcome: z.enum(['passed', 'failed'], { error: 'validation:outcome.required' }),
    resultNotes: notes,
  })
  .superRefine((input, ctx) => {
    if (input.outcome === 'failed' && !input.resultNotes)
      ctx.addIssue({ code: 'custom', path: ['resultNotes'], message: 'validation:resultNotes.required' });
  });
export type ResultInput = z.infer<typeof resultForm>;

export const cancelForm = z.object({ cancelReason: notes });
