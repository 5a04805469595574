import type { Request, RequestHandler, Response } from 'express';
import type { z } from 'zod';
import { untypable } from './characters';

/** Field name → translation key of its message, in the order the fields appear on the form. */
export type FieldErrors = Record<string, string>;

/**
 * Zod messages are translation keys; the first problem of each field is the one shown beside it, and the
 * summary lists them in the order of the form's fields.
 */
export function fieldErrors(error: z.ZodError, fieldOrder: readonly string[] = []): FieldErrors {
  const found: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    if (!(field in found)) found[field] = issue.message;
  }
  const rank = (field: string) =>
    fieldOrder.includes(field) ? fieldOrder.indexOf(field) : fieldOrder.length;
  return Object.fromEntries(Object.entries(found).sort(([a], [b]) => rank(a) - rank(b)));
}

/** Fields never sent back to the page after a failed submission. */
const secretFields = ['password', 'passwordConfirm', 'currentPassword'];

/** What the user typed, to show back: strings only, and never a password. */
export function keptValues(body: unknown): Record<string, string> {
  const values: Record<string, string> = {};
  if (!body || typeof body !== 'object') return values;
  for (const [key, value] of Object.entries(body)) {
    if (key === '_csrf' || secretFields.includes(key)) continue;
    if (typeof value === 'string') values[key] = value.slice(0, 500);
  }
  return values;
}

/**
 * Re-renders a form that cannot be accepted: 422, the error summary and each field's message, the values
 * typed (passwords excepted).
 */
export function renderInvalid(
  res: Response,
  view: string,
  errors: FieldErrors,
  values: Record<string, string>,
  extra: Record<string, unknown> = {},
): void {
  res.status(422).render(view, { errors, values, ...extra });
}

/**
 * Parses a posted form. When it cannot be accepted, the form is re-rendered (422) and undefined returned.
 * `order` lists the form's fields as they appear, for the error summary.
 */
export function validate<T>(
  schema: z.ZodType<T>,
  req: Request,
  res: Response,
  view: string,
  options: {
    order?: readonly string[];
    extra?: Record<string, unknown>;
    /** The fields that may hold line breaks (text areas); every other field is one line. */
    multiline?: readonly string[];
  } = {},
): T | undefined {
  const unreadable = untypableErrors(req.body, options.multiline ?? []);
  if (Object.keys(unreadable).length) {
    renderInvalid(res, view, unreadable, keptValues(req.body), options.extra);
    return undefined;
  }
  const result = schema.safeParse(req.body ?? {});
  if (result.success) return result.data;
  renderInvalid(res, view, fieldErrors(result.error, options.order), keptValues(req.body), options.extra);
  return undefined;
}

/**
 * A message beside each field that holds a character no one types, whatever its schema says; line breaks
 * only in the fields listed as multi-line (the form's text areas).
 */
function untypableErrors(body: unknown, multiline: readonly string[]): FieldErrors {
  const errors: FieldErrors = {};
  if (!body || typeof body !== 'object') return errors;
  for (const [key, value] of Object.entries(body)) {
    const values: unknown[] = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const problem = typeof v === 'string' ? untypable(v, multiline.includes(key)) : undefined;
      if (problem) {
        errors[key] = problem;
        break;
      }
    }
  }
  return errors;
}

/** Every page starts with no errors and no values, so views need not test for them. */
export const formDefaults: RequestHandler = (_req, res, next) => {
  res.locals.errors = {};
  res.locals.values = {};
  next();
};
