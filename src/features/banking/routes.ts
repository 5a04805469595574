import { Router } from 'express';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { companyAccess } from '../companies/guard';
import type { CompaniesService } from '../companies/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import { BANK_FIELD_ORDER, bankForm } from './schemas';
import type { BankingService } from './service';

const VIEW = 'banking/account';

/** "Informations bancaires" / "Banking information": the company's account for refunds (Payer or Gérer). */
export function bankingRoutes(
  banking: BankingService,
  companies: CompaniesService,
  registration: RegistrationService,
): Router {
  const router = Router();
  const payer = companyAccess(companies, 'pay');
  const registered = requireRegistration(registration);

  page(router, 'companyBank')
    .get(registered, payer, async (_req, res) => {
      res.render(VIEW, { account: await banking.masked(res.locals.company.id) });
    })
    .post(registered, payer, async (req, res) => {
      const form = validate(bankForm, req, res, VIEW, {
        order: BANK_FIELD_ORDER,
        extra: { account: await banking.masked(res.locals.company.id) },
      });
      if (!form) return;
      await banking.change(personActing(req, res), res.locals.company, form);
      flash(req, 'flash.bankSaved');
      res.redirect(303, pathFor('companyBank', req.lang, { id: String(res.locals.company.id) }));
    });

  return router;
}
