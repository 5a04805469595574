import type { RequestHandler } from 'express';
import { ForbiddenError, NotFoundError } from '../../web/errors';
import { companyId } from './schemas';
import type { CompaniesService } from './service';

/**
 * On every company route: a stranger gets 404 (not even the company's existence leaks), a member
 * without Manage gets 403 on a manager's page. The company and the membership are then at hand.
 */
export function companyAccess(companies: CompaniesService, level: 'member' | 'manage'): RequestHandler {
  return async (req, res, next) => {
    const id = companyId.safeParse(req.params.id);
    if (!id.success) throw new NotFoundError();
    const member = await companies.membership(id.data, req.user!.id);
    if (!member) throw new NotFoundError();
    if (level === 'manage' && !member.can_manage) throw new ForbiddenError();
    const company = await companies.company(id.data);
    if (!company) throw new NotFoundError();
    res.locals.company = company;
    res.locals.membership = member;
    next();
  };
}
