import type { Request, Response } from 'express';

/** What a confirmation page asks: translation keys and their values, and where "Annuler" leads. */
export interface Confirmation {
  title: string;
  question: string;
  /** What cannot be undone, or what follows. */
  note?: string;
  params?: Record<string, string | number>;
  /** The words of the button that does it. */
  button: string;
  back: string;
}

/**
 * A destructive action asks first, without JavaScript: the first POST shows a page with the question,
 * its button posting the same form again with confirm=yes (every field carried as it was sent), and
 * "Annuler" leading back. True when this request is the confirmed one.
 */
export function confirmed(req: Request, res: Response, ask: Confirmation): boolean {
  const body = (req.body ?? {}) as Record<string, unknown>;
  if (body.confirm === 'yes') return true;
  const fields: [string, string][] = [];
  for (const [name, value] of Object.entries(body)) {
    if (name === '_csrf' || name === 'confirm') continue;
    for (const one of Array.isArray(value) ? value : [value])
      if (typeof one === 'string') fields.push([name, one]);
  }
  res.render('confirm', { ask, action: req.originalUrl, fields });
  return false;
}
