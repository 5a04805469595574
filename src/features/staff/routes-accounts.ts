import { Router } from 'express';
import { PERMISSIONS } from '../../domain/company-permissions';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import type { Db } from '../../db/knex';
import { companyById, members } from '../companies/queries';
import { requireStaff } from './guard';
import { searchAccounts, searchCompanies } from './queries';

/** J7: accounts and companies, read-only, found by the start of a name or address. */
export function staffAccountsRoutes(db: Db): Router {
  const router = Router();

  page(router, 'staffAccounts').get(requireStaff, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const [accounts, companies] = q
      ? await Promise.all([searchAccounts(db, q), searchCompanies(db, q)])
      : [[], []];
    res.render('staff/accounts', { q, accounts, companies });
  });

  page(router, 'staffCompany').get(requireStaff, async (req, res) => {
    const id = idParam(req.params.id);
    const company = await companyById(db, id);
    if (!company) throw new NotFoundError();
    const { rows } = await members(db, id, { size: 500, offset: 0 });
    res.render('staff/company', { company, rows, permissions: PERMISSIONS });
  });

  return router;
}
