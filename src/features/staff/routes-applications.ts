import type { TFunction } from 'i18next';
import { auditDetailLines } from './audit-details';
import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { AUDIT_EVENTS } from '../../audit/audit';
import type { Db } from '../../db/knex';
import { flash } from '../../web/flash';
import { keptValues, validate } from '../../web/forms';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { pathFor } from '../../web/paths';
import { auditLog } from './audit-log-queries';
import { personActing } from '../accounts/acting';
import { requireStaff } from './guard';
import type { StaffApplications } from './applications';
import type { Conversation } from '../review/conversation';
import type { PermitsService } from '../permits/service';
import type { ReviewQueues } from '../review/queues';
import { ACTION_FORMS, ACTION_MULTILINE, messageForm } from '../review/schemas';
import { fileNumberParam } from '../applications/schemas';
import { STAFF_ACTIONS, type StaffAction, type StaffMoves } from '../review/staff-moves';
import { sendPdf } from '../permits/download';

const auditQuery = z.object({
  actor: z.string().trim().max(254).optional().catch(undefined),
  subject: z.string().trim().max(254).optional().catch(undefined),
  event: z.enum(AUDIT_EVENTS).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});

const queueQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).catch(1) });

const actionParam = (req: Request): StaffAction => {
  const action = z.enum(STAFF_ACTIONS).safeParse(req.params.action);
  if (!action.success) throw new NotFoundError();
  return action.data;
};

const VIEW = 'staff/application';

/** J7 and J8: applications (search, the review queue, each application's review) and the audit log. */
export function staffApplicationsRoutes(
  applications: StaffApplications,
  moves: StaffMoves,
  conversation: Conversation,
  permits: PermitsService,
  queues: ReviewQueues,
  db: Db,
): Router {
  const router = Router();

  /** The application's page, or a 404; `extra` carries a form's errors and values. */
  async function found(number: string) {
    const application = await applications.find(number);
    if (!application) throw new NotFoundError();
    return application;
  }
  /** Back to the application's page with a message, or the page again with this form's problem (409). */
  async function answer(
    req: Request,
    res: Response,
    number: string,
    outcome: string,
    field: string,
    values = {},
  ) {
    if (outcome === 'moved' || outcome === 'sent') {
      flash(req, outcome === 'moved' ? 'flash.statusMoved' : 'flash.messageSent', { number });
      return res.redirect(303, pathFor('staffApplication', req.lang, { number }));
    }
    res.status(outcome === 'notFound' ? 404 : 409).render(VIEW, {
      ...(await found(number)),
      values,
      errors: { [field]: `staff:move.${outcome}` },
    });
  }

  page(router, 'staffApplications').get(requireStaff, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    res.render('staff/applications', { q, results: await applications.search(q) });
  });

  page(router, 'staffReview').get(requireStaff, async (req, res) => {
    const { page: current } = queueQuery.parse(req.query);
    res.render('staff/review-queue', { ...(await queues.page(current, 50)), current });
  });

  page(router, 'staffApplication').get(requireStaff, async (req, res) => {
    res.render(VIEW, await found(fileNumberParam(req)));
  });

  page(router, 'staffAct').post(requireStaff, async (req, res) => {
    const number = fileNumberParam(req);
    const action = actionParam(req);
    const form = validate(ACTION_FORMS[action], req, res, VIEW, {
      multiline: ACTION_MULTILINE,
      extra: { ...(await found(number)), openAction: action },
    });
    if (!form) return;
    const { seen, ...input } = form;
    const outcome = await moves.act(personActing(req, res), number, action, input, seen);
    if (outcome === 'reasonRequired')
      return res.status(422).render(VIEW, {
        ...(await found(number)),
        openAction: action,
        values: keptValues(req.body),
        errors: { feesReason: 'validation:feeReason.required' },
      });
    await answer(req, res, number, outcome, `action-${action}`, keptValues(req.body));
  });

  page(router, 'staffMessage').post(requireStaff, async (req, res) => {
    const number = fileNumberParam(req);
    const form = validate(messageForm, req, res, VIEW, {
      multiline: ['body'],
      extra: await found(number),
    });
    if (!form) return;
    const outcome = await conversation.postFromStaff(personActing(req, res), number, form.body, form.note);
    await answer(req, res, number, outcome, 'body', { body: form.body });
  });

  page(router, 'staffResolve').post(requireStaff, async (req, res) => {
    const number = fileNumberParam(req);
    const outcome = await conversation.resolve(personActing(req, res), number, idParam(req.params.id));
    if (outcome === 'notFound') throw new NotFoundError();
    // Resolved already (by another staff member, or a second click): the page shows it resolved.
    flash(req, 'flash.deficiencyResolved', { number });
    res.redirect(303, pathFor('staffApplication', req.lang, { number }));
  });

  page(router, 'staffPermitPdf').get(requireStaff, async (req, res) => {
    const application = await found(fileNumberParam(req));
    sendPdf(res, await permits.pdfOf(application.application.id));
  });

  page(router, 'staffAudit').get(requireStaff, async (req, res) => {
    const filter = auditQuery.parse(req.query);
    const rows = await auditLog(db, {
      actor: filter.actor || undefined,
      subject: filter.subject || undefined,
      event: filter.event,
      from: filter.from ? new Date(`${filter.from}T00:00:00Z`) : undefined,
      to: filter.to ? new Date(new Date(`${filter.to}T00:00:00Z`).getTime() + 86_400_000) : undefined,
    });
    const t = res.locals.t as TFunction;
    const described = rows.map((row) => ({ ...row, lines: auditDetailLines(row, t, req.lang) }));
    res.render('staff/audit', { rows: described, filter, events: AUDIT_EVENTS });
  });

  return router;
}
