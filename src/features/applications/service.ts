import { inTransaction, type Db, type Tx } from '../../db/knex';
import { ACTION_REQUIRED, type ApplicationStatus } from '../../domain/application-lifecycle';
import type { MoveStatus } from './lifecycle';
import type { PersonActing } from '../accounts/acting';
import { cityYear, formatLocation } from '../../domain/formatting';
import { cityDay } from '../../domain/business-days';
import type { Notifier } from '../review/notify';
import { CITY, type PermitType } from '../../domain/permit-types';
import { missingToSubmit, type ApplicationContent } from '../../domain/submission';
import { NotFoundError } from '../../errors';
import { companiesWhereMay } from '../companies/queries';
import * as q from './queries';
import type { ApplicationInput, ListQuery } from './schemas';

/** The person acting; the application's applicant is them, or the company they act for. */
export type Applicant = Pick<PersonActing, 'userId' | 'name'>;

/** The person may not act for that company (no Submit or Manage): the form says so beside the field. */
export class NotAllowedForCompany extends Error {}

/** A draft submitted from its page while fields are still empty: its form shows each beside its field. */
export class IncompleteApplication extends Error {
  constructor(readonly missing: readonly string[]) {
    super(`incomplete application: ${missing.join(', ')}`);
  }
}

/** What a stored application holds, as the submission rule reads it. */
function contentOf(application: q.ApplicationRow): ApplicationContent {
  return {
    permitType: application.permit_type as PermitType | null,
    streetNumber: application.street_number,
    streetName: application.street_name,
    postalCode: application.postal_code,
    description: application.description,
    floorArea:
      application.floor_area_m2 === null ? null : Math.round(Number(application.floor_area_m2) * 100),
  };
}

const MONTH_MS = 30.44 * 24 * 60 * 60 * 1000;

/** A draft is known by "B" and its id until submission gives it a file number. */
export function refOf(application: Pick<q.ApplicationRow, 'number' | 'id'>): string {
  return application.number ?? `B${application.id}`;
}

function periodStart(period: ListQuery['period']): Date | undefined {
  if (period === 'all') return undefined;
  return new Date(Date.now() - (period === '6m' ? 6 : 12) * MONTH_MS);
}

function fields(input: ApplicationInput) {
  return {
    permit_type: input.permitType,
    street_number: input.streetNumber,
    street_name: input.streetName,
    unit: input.unit,
    postal_code: input.postalCode,
    city: CITY,
    description: input.description,
    floor_area_m2: input.floorArea === null ? null : (input.floorArea / 100).toFixed(2),
  };
}

/** Who the application is from: the user, or a company for which they may submit (checked in the transaction). */
async function applicantFor(tx: Tx, by: Applicant, onBehalfOf: string) {
  if (onBehalfOf === 'self')
    return { applicant_user_id: by.userId, company_id: null, applicant_name: by.name };
  const company = (await companiesWhereMay(tx, by.userId, 'submit')).find((c) => c.id === Number(onBehalfOf));
  if (!company) throw new NotAllowedForCompany();
  return { applicant_user_id: null, company_id: company.id, applicant_name: company.legal_name };
}

/** A draft this user started and may still change; anything else is "not found". */
async function ownDraft(tx: Tx, by: Applicant, ref: string): Promise<q.ApplicationRow> {
  const application = await q.findVisible(tx, by.userId, ref, true);
  if (!application || application.status !== 'draft' || application.created_by !== by.userId)
    throw new NotFoundError();
  return application;
}

/** J3 and J5: the applications a user sees, starting one, saving a draft and submitting it. */
export function applicationsService({
  db,
  moveStatus,
  notify,
}: {
  db: Db;
  moveStatus: MoveStatus;
  notify: Notifier;
}) {
  const viewerOf = async (user: { id: number; viewer?: q.Viewer }) => user.viewer ?? q.viewer(db, user.id);

  async function submitLocked(tx: Tx, application: q.ApplicationRow, by: Applicant): Promise<string> {
    const missing = missingToSubmit(contentOf(application));
    if (missing.length) throw new IncompleteApplication(missing);
    const now = new Date();
    const number = await q.nextNumber(tx, cityYear(now));
    await moveStatus(tx, {
      application,
      to: 'submitted',
      side: 'applicant',
      by,
      event: 'submitted',
      columns: { number, submitted_at: now },
    });
    // The receipt, the submitter's proof: the file number and what was submitted, in their language.
    // To them alone: a company's other members follow it in their Demandes tab and are emailed its
    // later steps, not a copy of every colleague's submission.
    const content = q.submitted({ ...application, status: 'submitted' });
    await notify.person(tx, by.userId, 'status', {
      template: 'applicationSubmitted',
      params: {
        number,
        submitter: by.name,
        day: cityDay(now),
        permitType: content.permit_type,
        location: [formatLocation(content), content.postal_code].filter(Boolean).join(' '),
        description: content.description,
      },
      link: { page: 'application', params: { ref: number } },
    });
    return number;
  }

  return {
    /**
     * Who a user is as a viewer of applications: resolved once per page, used by every query on it.
     * Usually already read with the session (see SessionUser.viewer).
     */
    viewer: viewerOf,

    async list(who: q.Viewer, query: ListQuery) {
      // A search looks through every period: the application sought may be an old one.
      const filter = {
        statuses: query.status === 'all' ? undefined : [query.status],
        activeSince: query.q ? undefined : periodStart(query.period),
        search: query.q || undefined,
      };
      return q.listApplications(db, who, filter, {
        size: query.size,
        offset: (query.page - 1) * query.size,
      });
    },

    /** "Actions requises": what asks something of the user (a draft to submit, a payment due). */
    async actionsRequired(who: q.Viewer, query: ListQuery) {
      const wanted = (ACTION_REQUIRED as readonly string[]).includes(query.status)
        ? [query.status as ApplicationStatus]
        : ACTION_REQUIRED;
      return q.listApplications(
        db,
        who,
        { statuses: wanted, orInspectionsToBook: wanted === ACTION_REQUIRED, search: query.q || undefined },
        { size: query.size, offset: (query.page - 1) * query.size },
      );
    },

    countActionsRequired: async (who: q.Viewer) => (await q.countApplications(db, who, {})).actionCount,

    /** The application and its history, or NotFound when it does not exist or is not this user's to see. */
    async activity(user: { id: number; viewer?: q.Viewer }, ref: string) {
      const found = await q.activity(db, await viewerOf(user), ref);
      if (!found) throw new NotFoundError();
      return found;
    },

    /** Who this user is to the application (its own or a membership's permissions), in one query. */
    standingOn: (userId: number, application: q.ApplicationRow) => q.standingOn(db, userId, [application.id]),

    /** The companies this user may submit for, for the form's "Demandeur" choice. */
    companiesForSubmission: (userId: number) => companiesWhereMay(db, userId, 'submit'),

    /**
     * Starts an application, for the user or for a company they may submit for: submitted at once (with
     * its file number), or kept as a draft. Returns its ref.
     */
    async start(by: Applicant, input: ApplicationInput): Promise<string> {
      return inTransaction(db, async (tx) => {
        const applicant = await applicantFor(tx, by, input.onBehalfOf);
        const application = await q.insertDraft(tx, {
          ...fields(input),
          ...applicant,
          created_by: by.userId,
        });
        await q.addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'created',
          to: 'draft',
        });
        if (input.action === 'draft') return refOf(application);
        return submitLocked(tx, application, by);
      });
    },

    /** Changes a draft, and submits it when asked. Only a draft of this user's can change. */
    async updateDraft(by: Applicant, ref: string, input: ApplicationInput): Promise<string> {
      return inTransaction(db, async (tx) => {
        const application = await ownDraft(tx, by, ref);
        const applicant = await applicantFor(tx, by, input.onBehalfOf);
        const changed = { ...fields(input), ...applicant };
        await q.updateDraft(tx, application.id, changed);
        await q.addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'draft_updated',
        });
        if (input.action === 'draft') return ref;
        return submitLocked(tx, { ...application, ...changed }, by);
      });
    },

    async submitDraft(by: Applicant, ref: string): Promise<string> {
      return inTransaction(db, async (tx) => {
        const application = await ownDraft(tx, by, ref);
        // A company's draft is submitted only by someone who may still submit for it.
        if (application.company_id) await applicantFor(tx, by, String(application.company_id));
        return submitLocked(tx, application, by);
      });
    },
  };
}

export type ApplicationsService = ReturnType<typeof applicationsService>;
