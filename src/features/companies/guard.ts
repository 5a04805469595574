import { allowed } from '../../domain/company-permissions';
import type { RequestHandler } from 'express';
import { ForbiddenError, NotFoundError } from '../../errors';
import { companyId } from './schemas';
import type { CompaniesService } from './service';

/**
 * On every company route: a stranger gets 404 (not even the company's existence leaks), a member
 * without Manage gets 403 on a manager's page, one without Payer (or Gérer) on the fees' page. The company and the membership are then at hand.
 */
export function companyAccess(
  companies: CompaniesService,
  level: 'member' | 'manage' | 'pay',
): RequestHandler {
  return async (req, res, next) => {
    const id = companyId.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError();
    const access = await companies.access(id.data, req.user!.id);
    if (!access) throw new NotFoundError();
    const can = allowed(access.membership);
    if (level === 'manage' && !can.manage) throw new ForbiddenError();
    if (level === 'pay' && !can.pay) throw new ForbiddenError();
    res.locals.company = access.company;
    res.locals.membership = access.membership;
    // What the member may do, for the pages (tabs, forms): the views ask this, never the columns.
    res.locals.can = can;
    next();
  };
}
