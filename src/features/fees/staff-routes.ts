import { Router } from 'express';
import { cityDay } from '../../domain/business-days';
import { AREA_BASED } from '../../domain/fees';
import { PERMIT_TYPES } from '../../domain/permit-types';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { requireStaff } from '../staff/guard';
import { FEE_LINE_ORDER, feeLineForm } from './schemas';
import type { FeesService } from './service';

const VIEW = 'fees/table';

/** "Barème des frais": the fee table in force, its history, and a new line for staff to add. */
export function feeTableRoutes(fees: FeesService): Router {
  const router = Router();
  const shown = async () => {
    const lines = await fees.table();
    const today = cityDay(new Date());
    // In force today: for each type, the latest line that took effect by today; later ones are planned.
    const inForce = new Set(
      PERMIT_TYPES.map((type) => lines.find((l) => l.permit_type === type && l.effective_from <= today)?.id),
    );
    return { lines, inForce, today, permitTypes: PERMIT_TYPES, areaBased: AREA_BASED };
  };

  page(router, 'staffFeeTable')
    .get(requireStaff, async (_req, res) => {
      const extra = await shown();
      res.render(VIEW, { ...extra, values: { effectiveFrom: extra.today } });
    })
    .post(requireStaff, async (req, res) => {
      const form = validate(feeLineForm, req, res, VIEW, {
        order: FEE_LINE_ORDER,
        multiline: ['reason'],
        extra: await shown(),
      });
      if (!form) return;
      const by = personActing(req, res);
      await fees.addLine({
        permitType: form.permitType,
        rateCentsPerM2: form.rate,
        flatCents: form.flat,
        minimumCents: form.minimum,
        effectiveFrom: form.effectiveFrom,
        reason: form.reason,
        by: { userId: by.userId, name: by.name },
      });
      flash(req, 'flash.feeLineAdded');
      res.redirect(303, pathFor('staffFeeTable', req.lang));
    });

  return router;
}
