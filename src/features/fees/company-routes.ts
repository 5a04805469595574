import { Router } from 'express';
import { page } from '../../web/page';
import { companyAccess } from '../companies/guard';
import type { CompaniesService } from '../companies/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import type { FeesService } from './service';

/**
 * "Droits et paiements" / "Fees and payments": a company's fees due and paid, with their receipts, for
 * its members with Payer or Gérer; the fees due are paid from here as from Frais impayés.
 */
export function companyFeesRoutes(
  fees: FeesService,
  companies: CompaniesService,
  registration: RegistrationService,
  paymentsOffered: boolean,
): Router {
  const router = Router();
  page(router, 'companyFees').get(
    requireRegistration(registration),
    companyAccess(companies, 'pay'),
    async (_req, res) => {
      const all = await fees.companyFees(res.locals.company.id);
      const due = all.filter((f) => f.status === 'due');
      res.render('fees/company', {
        due,
        paid: all.filter((f) => f.status === 'paid'),
        total: due.reduce((sum, f) => sum + f.amount_cents, 0),
        payments: paymentsOffered,
      });
    },
  );
  return router;
}
