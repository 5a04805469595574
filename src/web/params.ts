import { z } from 'zod';
import { NotFoundError } from '../errors';

const id = z.string().regex(/^\d{1,18}$/);

/** A numeric id from the path (a request, a record, a company); anything else is a page that does not exist. */
export function idParam(value: unknown): number {
  const parsed = id.safeParse(value);
  if (!parsed.success) throw new NotFoundError();
  return Number(parsed.data);
}
