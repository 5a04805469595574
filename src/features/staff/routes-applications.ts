import { Router, type Request } from 'express';
import { z } from 'zod';
import { AUDIT_EVENTS } from '../../audit/audit';
import type { Db } from '../../db/knex';
import { STATUSES } from '../../domain/application-lifecycle';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { auditLog } from './audit-log-queries';
import { personActing } from '../accounts/acting';
import { requireStaff } from './guard';
import type { StaffApplications } from './applications';

const moveForm = z.object({
  to: z.enum(STATUSES, { error: 'validation:move.required' }),
  // The status the page showed: if another staff member moved the application since, this one is told.
  seen: z.enum(STATUSES).optional(),
  reason: z
    .string({ error: 'validation:reason.required' })
    .trim()
    .min(1, 'validation:reason.required')
    .max(1000, 'validation:comment.tooLong'),
});

const auditQuery = z.object({
  actor: z.string().trim().max(254).optional().catch(undefined),
  subject: z.string().trim().max(254).optional().catch(undefined),
  event: z.enum(AUDIT_EVENTS).optional().catch(undefined),
  from: z.iso.date().optional().catch(undefined),
  to: z.iso.date().optional().catch(undefined),
});

const numberParam = (req: Request) => {
  const number = z
    .string()
    .regex(/^CON-\d{4}-\d{6}$/)
    .safeParse(req.params.number);
  if (!number.success) throw new NotFoundError();
  return number.data;
};

/** J7: applications (search, read, move along the lifecycle with a reason) and the audit log. */
export function staffApplicationsRoutes(applications: StaffApplications, db: Db): Router {
  const router = Router();

  page(router, 'staffApplications').get(requireStaff, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.slice(0, 100) : '';
    res.render('staff/applications', { q, results: await applications.search(q) });
  });

  page(router, 'staffApplication')
    .get(requireStaff, async (req, res) => {
      const found = await applications.find(numberParam(req));
      if (!found) throw new NotFoundError();
      res.render('staff/application', found);
    })
    .post(requireStaff, async (req, res) => {
      const number = numberParam(req);
      const found = await applications.find(number);
      if (!found) throw new NotFoundError();
      const form = validate(moveForm, req, res, 'staff/application', {
        order: ['to', 'reason'],
        multiline: ['reason'],
        extra: found,
      });
      if (!form) return;
      const outcome = await applications.move(
        personActing(req, res),
        number,
        form.to,
        form.reason,
        form.seen,
      );
      if (outcome !== 'moved') {
        return res.status(409).render('staff/application', {
          ...(await applications.find(number)),
          values: { reason: form.reason },
          errors: { to: `staff:move.${outcome}` },
        });
      }
      flash(req, 'flash.statusMoved', { number });
      res.redirect(303, pathFor('staffApplication', req.lang, { number }));
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
    res.render('staff/audit', { rows, filter, events: AUDIT_EVENTS });
  });

  return router;
}
