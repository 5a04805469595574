import { Router, type Request } from 'express';
import { z } from 'zod';
import { addBusinessDays, cityDay } from '../../domain/business-days';
import { NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { fileNumberParam } from '../applications/schemas';
import type { StaffApplications } from '../staff/applications';
import { requireStaff } from '../staff/guard';
import { cancelForm, resultForm, scheduleForm } from './schemas';
import type { InspectionOutcome, InspectionsService } from './service';

const ACTIONS = ['schedule', 'cancel', 'result'] as const;
type Action = (typeof ACTIONS)[number];

const dayQuery = z.object({
  day: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)))
    .optional()
    .catch(undefined),
});

/**
 * J10, staff's side: the inspection queue (requests to schedule, then a day's schedule), and on each
 * application's admin page: Planifier (or move), Annuler, Résultat.
 */
export function staffInspectionsRoutes(
  inspections: InspectionsService,
  applications: StaffApplications,
): Router {
  const router = Router();
  const VIEW = 'staff/application';

  const actionOf = (req: Request): Action => {
    const action = z.enum(ACTIONS).safeParse(req.params.action);
    if (!action.success) throw new NotFoundError();
    return action.data;
  };

  page(router, 'staffInspections').get(requireStaff, async (req, res) => {
    const day = dayQuery.parse(req.query).day ?? cityDay(new Date());
    res.render('staff/inspections', {
      day,
      previousDay: addBusinessDays(day, -1),
      nextDay: addBusinessDays(day, 1),
      ...(await inspections.queue(day)),
    });
  });

  page(router, 'staffInspectionAct').post(requireStaff, async (req, res) => {
    const number = fileNumberParam(req);
    const id = idParam(req.params.id);
    const action = actionOf(req);
    // The error summary's links lead to the fields of this inspection's forms (their ids carry its id).
    const page = async () => {
      const found = await applications.find(number);
      if (!found) throw new NotFoundError();
      return {
        ...found,
        inspectionErrorsFor: id,
        inspectionAnchors: {
          day: `day-${id}`,
          window: `window-morning-${id}`,
          inspector: `inspector-${id}`,
          outcome: `outcome-passed-${id}`,
          resultNotes: `resultNotes-${id}`,
          [`inspection-${id}`]: `inspection-forms-${id}`,
        },
      };
    };
    const by = personActing(req, res);
    const formOf = async <T>(schema: z.ZodType<T>): Promise<T | undefined> =>
      validate(schema, req, res, VIEW, {
        multiline: ['cancelReason', 'resultNotes'],
        extra: await page(),
      });
    const work: Record<Action, () => Promise<InspectionOutcome | undefined>> = {
      schedule: async () => {
        const form = await formOf(scheduleForm);
        return form && inspections.schedule(by, number, id, form);
      },
      cancel: async () => {
        const form = await formOf(cancelForm);
        return form && inspections.cancel(by, number, id, form.cancelReason);
      },
      result: async () => {
        const form = await formOf(resultForm);
        return form && inspections.record(by, number, id, form);
      },
    };
    const outcome = await work[action]();
    // The form came back with its messages.
    if (outcome === undefined) return;
    if (outcome === 'notFound') throw new NotFoundError();
    if (outcome === 'done') {
      flash(req, `flash.inspection.${action}`, { number });
      return res.redirect(303, `${pathFor('staffApplication', req.lang, { number })}#inspections`);
    }
    const errors =
      typeof outcome === 'string'
        ? { [`inspection-${id}`]: `staff:inspections.${outcome}` }
        : { [outcome.field]: outcome.message };
    res.status(typeof outcome === 'string' ? 409 : 422).render(VIEW, {
      ...(await page()),
      values: req.body as Record<string, string>,
      errors,
      errorParams: typeof outcome === 'string' ? {} : (outcome.params ?? {}),
    });
  });

  return router;
}
