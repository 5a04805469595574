import { Router, type Request, type Response } from 'express';
import { ForbiddenError, NotFoundError } from '../../errors';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { personActing } from '../accounts/acting';
import { associateForm } from '../companies/schemas';
import { applicationOnPage } from '../applications/on-page';
import type { ApplicationsService } from '../applications/service';
import { requireRegistration } from '../registration/guard';
import type { RegistrationService } from '../registration/service';
import type { ContactOutcome, ContactsService } from './service';

const CONTACT = 'contacts/page';

/** "Personne-ressource": a page of its own, where the applicant's side names a company or takes it off. */
export function contactsRoutes(
  contacts: ContactsService,
  applications: ApplicationsService,
  registration: RegistrationService,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);

  /** The application (404 unless this user sees it), and its contact; 403 unless they may choose it. */
  async function shown(req: Request) {
    const { application, ref } = await applicationOnPage(applications, req, contacts.mayChoose);
    return { application, ref, contact: await contacts.contactOf(application) };
  }

  function after(req: Request, res: Response, ref: string, outcome: ContactOutcome, extra: object) {
    if (outcome === 'notFound') throw new NotFoundError();
    if (outcome === 'notAllowed') throw new ForbiddenError();
    if (outcome === 'added' || outcome === 'removed') {
      flash(req, `flash.contact.${outcome}`);
      return res.redirect(303, pathFor('application', req.lang, { ref }));
    }
    // The PIN refused, beside its field, what was typed kept.
    res.status(outcome === 'throttled' ? 429 : 422).render(CONTACT, {
      ...extra,
      errors: { pin: `applications:contact.${outcome}` },
      values: { pin: req.body?.pin ?? '' },
    });
  }

  page(router, 'applicationContact')
    .get(registered, async (req, res) => res.render(CONTACT, await shown(req)))
    .post(registered, async (req, res) => {
      const extra = await shown(req);
      const form = validate(associateForm, req, res, CONTACT, { extra });
      if (!form) return;
      after(req, res, extra.ref, await contacts.add(personActing(req, res), extra.ref, form.pin), extra);
    });

  page(router, 'applicationContactRemove').post(registered, async (req, res) => {
    const extra = await shown(req);
    after(req, res, extra.ref, await contacts.remove(personActing(req, res), extra.ref), extra);
  });

  return router;
}
