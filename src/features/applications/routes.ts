import { Router, type Request, type Response } from 'express';
import { STATUSES, ACTION_REQUIRED } from '../../domain/application-lifecycle';
import { readClock } from '../../domain/review-clock';
import { PERMIT_TYPES } from '../../domain/permit-types';
import { formatArea } from '../../domain/formatting';
import { AREA_BASED } from '../../domain/fees';
import { withdrawOption } from '../withdrawals/service';
import type { Conversation } from '../review/conversation';
import type { PermitsService } from '../permits/service';
import type { FeesService } from '../fees/service';
import type { DocumentsService } from '../documents/service';
import type { TemplatesService } from '../templates/service';
import type { InspectionsService } from '../inspections/service';
import { NotFoundError } from '../../errors';
import { together } from '../../db/together';
import { flash } from '../../web/flash';
import { keptValues, validate } from '../../web/forms';
import { page } from '../../web/page';
import { paginate } from '../../web/pagination';
import { pathFor } from '../../web/paths';
import { requireRegistration } from '../registration/guard';
import type { ContactsService } from '../contacts/service';
import type { RegistrationService } from '../registration/service';
import { APPLICATION_FIELD_ORDER, applicationForm, refParam, listQuery, PERIODS } from './schemas';
import { PAGE_SIZES } from '../../web/pagination';
import { personActing } from '../accounts/acting';
import { homeTab } from './home-tab';
import { IncompleteApplication, NotAllowedForCompany, refOf, type ApplicationsService } from './service';

/** Each field a submission still needs, with its message. */
const missingErrors = (error: IncompleteApplication) =>
  Object.fromEntries(error.missing.map((field) => [field, `validation:${field}.required`]));

const FORM = 'applications/form';

/** J3 (the Building Code Services home and its tabs) and J5 (start, follow and submit applications). */
export function applicationsRoutes(
  applications: ApplicationsService,
  registration: RegistrationService,
  conversation: Conversation,
  permits: PermitsService,
  fees: FeesService,
  documents: Pick<DocumentsService, 'documentsOf' | 'mayUpload'>,
  templates: Pick<TemplatesService, 'forSubmission'>,
  inspections: Pick<InspectionsService, 'ofApplication' | 'mayRequest'>,
  contacts: Pick<ContactsService, 'contactOf' | 'mayChoose'>,
): Router {
  const router = Router();
  const registered = requireRegistration(registration);
  /** What the form offers: the permit types, and the companies the user may apply for. */
  const formOptions = async (req: Request) => ({
    permitTypes: PERMIT_TYPES,
    areaBased: AREA_BASED,
    companies: await applications.companiesForSubmission(req.user!.id),
  });

  /** Saves through `work`; a company the user may not act for becomes a message beside "Demandeur". */
  async function saving(
    req: Request,
    res: Response,
    extra: Record<string, unknown>,
    work: () => Promise<string>,
  ) {
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof NotAllowedForCompany) && !(error instanceof IncompleteApplication)) throw error;
      res.status(422).render(FORM, {
        ...(await formOptions(req)),
        ...extra,
        values: keptValues(req.body),
        errors:
          error instanceof IncompleteApplication
            ? missingErrors(error)
            : { onBehalfOf: 'validation:onBehalfOf.notAllowed' },
      });
      return undefined;
    }
  }

  // The home's tabs share the header; each tab is its own page, so they work without JavaScript.
  const renderTab = homeTab(applications);

  page(router, 'bcsHome').get(registered, async (req, res) => {
    const query = listQuery.parse(req.query);
    const who = await applications.viewer(req.user!);
    const { rows, total, actionCount } = await applications.actionsRequired(who, query);
    const pagination = paginate(total, query.page, query.size, pathFor('bcsHome', req.lang), {
      status: query.status,
      size: query.size,
      ...(query.q ? { q: query.q } : {}),
    });
    const items = await conversation.openItems(
      rows.filter((row) => row.status === 'information_required').map((row) => row.id),
    );
    await renderTab(req, res, 'bcsHome', {
      rows,
      items,
      actionCount,
      pagination,
      query,
      statusChoices: ACTION_REQUIRED,
      refOf,
      pageSizes: PAGE_SIZES,
    });
  });

  page(router, 'bcsApplications').get(registered, async (req, res) => {
    const query = listQuery.parse(req.query);
    const who = await applications.viewer(req.user!);
    const { rows, total, actionCount } = await applications.list(who, query);
    const pagination = paginate(total, query.page, query.size, pathFor('bcsApplications', req.lang), {
      period: query.period,
      status: query.status,
      size: query.size,
      ...(query.q ? { q: query.q } : {}),
    });
    await renderTab(req, res, 'bcsApplications', {
      rows,
      actionCount,
      pagination,
      query,
      statusChoices: STATUSES,
      periods: PERIODS,
      refOf,
      pageSizes: PAGE_SIZES,
    });
  });

  page(router, 'newApplication')
    .get(registered, async (req, res) => {
      // "Commencer à partir d'un modèle": a template of a company this person may submit for fills the form.
      const offered = await templates.forSubmission(req.user!.id);
      const wanted = typeof req.query.template === 'string' ? req.query.template : undefined;
      const template = wanted === undefined ? undefined : offered.find((t) => String(t.id) === wanted);
      if (wanted !== undefined && !template) throw new NotFoundError();
      const values = template
        ? {
            onBehalfOf: String(template.company_id),
            permitType: template.permit_type,
            description: template.description,
          }
        : { onBehalfOf: 'self' };
      res.render(FORM, { ...(await formOptions(req)), values, mode: 'new', template, templates: offered });
    })
    .post(registered, async (req, res) => {
      const extra = { ...(await formOptions(req)), mode: 'new' };
      const form = validate(applicationForm, req, res, FORM, {
        order: APPLICATION_FIELD_ORDER,
        multiline: ['description'],
        extra,
      });
      if (!form) return;
      const ref = await saving(req, res, extra, () => applications.start(personActing(req, res), form));
      if (!ref) return;
      flash(req, form.action === 'draft' ? 'flash.draftSaved' : 'flash.applicationSubmitted', {
        number: ref,
      });
      res.redirect(303, pathFor('application', req.lang, { ref }));
    });

  page(router, 'application').get(registered, async (req, res) => {
    const { application, history } = await applications.activity(req.user!, refParam(req));
    // Who the person is to it is read once, and every button below derived from it; the sections are
    // read with it in one round trip.
    const reading = applications.standingOn(req.user!.id, application);
    const [standing, talk, permit, assessed, refunds, attached, inspected, contact] = await together([
      reading,
      conversation.forApplicantSide(application, reading),
      permits.permitOf(application.id),
      fees.feesOf(application.id),
      fees.refundsOf(application.id),
      documents.documentsOf(application.id),
      inspections.ofApplication(application),
      contacts.contactOf(application),
    ]);
    const mayPay = fees.mayPay(standing);
    res.render('applications/activity', {
      application,
      history,
      ref: refOf(application),
      withdraw: withdrawOption(standing, application),
      clock: readClock(application, history, new Date()),
      ...talk,
      permit,
      // Fees and receipts are for those who may pay them (a member with only Inspection sees neither).
      fees: mayPay ? assessed : [],
      refunds: mayPay ? refunds : [],
      documents: attached,
      mayUpload: documents.mayUpload(standing, application),
      inspections: inspected.inspections,
      mayRequest: inspections.mayRequest(standing, application),
      contact,
      mayChooseContact: contacts.mayChoose(standing),
    });
  });

  /** One's own draft and its form's values, as saved (empty fields stay empty). */
  async function ownDraftForm(req: Request) {
    const { application } = await applications.activity(req.user!, refParam(req));
    if (application.status !== 'draft' || application.created_by !== req.user!.id) throw new NotFoundError();
    const values = {
      permitType: application.permit_type ?? '',
      streetNumber: application.street_number ?? '',
      streetName: application.street_name ?? '',
      unit: application.unit ?? '',
      postalCode: application.postal_code ?? '',
      description: application.description ?? '',
      floorArea: application.floor_area_m2 ? formatArea(application.floor_area_m2, req.lang) : '',
      onBehalfOf: application.company_id ? String(application.company_id) : 'self',
    };
    return { ...(await formOptions(req)), values, mode: 'edit', ref: refOf(application) };
  }

  page(router, 'editApplication')
    .get(registered, async (req, res) => {
      res.render(FORM, await ownDraftForm(req));
    })
    .post(registered, async (req, res) => {
      const ref = refParam(req);
      const extra = { ...(await formOptions(req)), mode: 'edit', ref };
      const form = validate(applicationForm, req, res, FORM, {
        order: APPLICATION_FIELD_ORDER,
        multiline: ['description'],
        extra,
      });
      if (!form) return;
      const saved = await saving(req, res, extra, () =>
        applications.updateDraft(personActing(req, res), ref, form),
      );
      if (!saved) return;
      flash(req, form.action === 'draft' ? 'flash.draftSaved' : 'flash.applicationSubmitted', {
        number: saved,
      });
      res.redirect(303, pathFor('application', req.lang, { ref: saved }));
    });

  page(router, 'submitApplication').post(registered, async (req, res) => {
    try {
      const number = await applications.submitDraft(personActing(req, res), refParam(req));
      flash(req, 'flash.applicationSubmitted', { number });
      res.redirect(303, pathFor('application', req.lang, { ref: number }));
    } catch (error) {
      if (!(error instanceof IncompleteApplication)) throw error;
      // "Soumettre" on a draft saved incomplete: its form, each empty field marked, nothing submitted.
      res.status(422).render(FORM, { ...(await ownDraftForm(req)), errors: missingErrors(error) });
    }
  });

  return router;
}
