import { Router, type Request } from 'express';
import { earliestInspectionDay } from '../../domain/inspections';
import { ForbiddenError, NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { keptValues, validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { applicationOnPage } from '../applications/on-page';
import type { ApplicationsService } from '../applications/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import { inspectionRequestForm, REQUEST_FIELD_ORDER } from './schemas';
import type { InspectionsService } from './service';

const FORM = 'inspections/request';

/**
 * J10, the applicant's side: "Demande d'inspection" from the Building Code Services home (choose the
 * permit), then the form on an issued permit, for its applicant and company members with Inspection.
 */
export function inspectionsRoutes(
  inspections: InspectionsService,
  applications: ApplicationsService,
  registration: RegistrationService,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);

  /** The form's page: the permit (if this person sees it and may ask), its stages and inspections. */
  async function shown(req: Request) {
    const { application, ref } = await applicationOnPage(applications, req, inspections.mayRequest);
    const { stages, inspections: done } = await inspections.ofApplication(application);
    const closed = new Set(
      done.filter((i) => ['requested', 'scheduled', 'passed'].includes(i.status)).map((i) => i.stage),
    );
    return {
      application,
      ref,
      // The stages that can still be asked for: neither passed nor already asked for.
      stages: stages.filter((s) => !closed.has(s.code)),
      earliest: earliestInspectionDay(new Date()),
    };
  }

  page(router, 'inspectionStart').get(registered, async (req, res) => {
    res.render('inspections/start', { permits: await inspections.inspectablePermits(req.user!.id) });
  });

  page(router, 'inspectionRequest')
    .get(registered, async (req, res) => {
      const view = await shown(req);
      // "Réserver de nouveau" after a failed inspection opens the form on its stage.
      const stage = typeof req.query.stage === 'string' ? req.query.stage : '';
      res.render(FORM, { ...view, values: { stage, preferredOn: view.earliest } });
    })
    .post(registered, async (req, res) => {
      const view = await shown(req);
      const form = validate(inspectionRequestForm, req, res, FORM, {
        order: REQUEST_FIELD_ORDER,
        multiline: ['notes'],
        extra: view,
      });
      if (!form) return;
      const outcome = await inspections.request(personActing(req, res), view.ref, form);
      if (outcome === 'notFound') throw new NotFoundError();
      if (outcome === 'notAllowed' || outcome === 'changed') throw new ForbiddenError();
      if (outcome !== 'done')
        return void res.status(422).render(FORM, {
          ...view,
          values: keptValues(req.body),
          errors: { [outcome.field]: outcome.message },
        });
      flash(req, 'flash.inspectionRequested', { number: view.ref });
      res.redirect(303, `${pathFor('application', req.lang, { ref: view.ref })}#inspections`);
    });

  return router;
}
