import { z } from 'zod';
/** "1-10 de 57": what a page of a list shows, and the links to the pages around it. */
export interface Pagination {
  from: number;
  to: number;
  total: number;
  page: number;
  pages: number;
  previous?: string;
  next?: string;
}

export function paginate(
  total: number,
  page: number,
  size: number,
  basePath: string,
  query: Record<string, string | number>,
): Pagination {
  const pages = Math.max(1, Math.ceil(total / size));
  const link = (p: number) =>
    `${basePath}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])), page: String(p) })}`;
  const from = total === 0 ? 0 : (page - 1) * size + 1;
  return {
    from,
    to: Math.min(total, page * size),
    total,
    page,
    pages,
    previous: page > 1 ? link(Math.min(page - 1, pages)) : undefined,
    next: page < pages ? link(page + 1) : undefined,
  };
}

/** "Lignes par page": the sizes a list offers, and the query parameter read safely (10 when odd). */
export const PAGE_SIZES = [10, 25, 50] as const;
export const pageSize = z.coerce
  .number()
  .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
  .catch(10);
