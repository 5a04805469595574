import type { RequestHandler } from 'express';
import { parse, type ParsedUrlQuery } from 'node:querystring';
import { untypable } from './characters';

const REFUSED = Symbol('query fields refused');

/** Field name → translation key of the problem, for the fields left out. */
type CheckedQuery = ParsedUrlQuery & { [REFUSED]?: Record<string, string> };

/**
 * Express's query parser for every route: the same as its default ("simple", node:querystring), except
 * that a field holding what no one types (a NUL, a control character, a line break: a search box is one
 * line) is left out, so no route can pass it on to PostgreSQL or a page. Which fields were left out goes
 * along with the result, for queryInput below.
 */
export function parseQuery(queryString: string): CheckedQuery {
  const parsed: CheckedQuery = parse(queryString);
  const refused: Record<string, string> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const values = Array.isArray(value) ? value : [value ?? ''];
    const problem = [key, ...values].map((v) => untypable(v)).find(Boolean);
    if (problem) {
      delete parsed[key];
      refused[key] = problem;
    }
  }
  Object.defineProperty(parsed, REFUSED, { value: refused, enumerable: false });
  return parsed;
}

/**
 * A refused query field is said beside that field (and in the error summary), as for a form; the page
 * shows what it shows without the field: a search box empty, the first page of a list. The status stays
 * the page's own (a GET that shows its page), whichever helper renders it.
 */
export const queryInput: RequestHandler = (req, res, next) => {
  Object.assign(res.locals.errors as Record<string, string>, (req.query as CheckedQuery)[REFUSED]);
  next();
};
