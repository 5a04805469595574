import { allowed, type Permission } from '../../domain/company-permissions';
import type { RequestHandler } from 'express';
import { ForbiddenError, NotFoundError } from '../../errors';
import { companyId } from './schemas';
import type { CompaniesService } from './service';

/**
 * On every company route: a stranger gets 404 (not even the company's existence leaks), a member
 * without the page's permission (one of those named; Gérer holds them all) gets 403. The company and the membership are then at hand.
 */
export function companyAccess(
  companies: CompaniesService,
  level: 'member' | Permission | readonly Permission[],
): RequestHandler {
  const needed: readonly Permission[] = level === 'member' ? [] : typeof level === 'string' ? [level] : level;
  return async (req, res, next) => {
    const id = companyId.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError();
    const access = await companies.access(id.data, req.user!.id);
    if (!access) throw new NotFoundError();
    const can = allowed(access.membership);
    // One of the permissions named is enough (Gérer counts for each).
    if (needed.length && !needed.some((p) => can[p])) throw new ForbiddenError();
    res.locals.company = access.company;
    res.locals.membership = access.membership;
    // What the member may do, for the pages (tabs, forms): the views ask this, never the columns.
    res.locals.can = can;
    next();
  };
}
