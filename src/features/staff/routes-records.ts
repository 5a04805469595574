import { Router, type Request } from 'express';
import { z } from 'zod';
import type { Db } from '../../db/knex';
import { PERMISSIONS } from '../../domain/company-permissions';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { NotFoundError } from '../../web/errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { members } from '../companies/queries';
import { phone, requiredText } from '../../web/fields';
import { requireStaff } from './guard';
import type { RecordKind, StaffRecords } from './records';

const recordForm = z
  .object({
    kind: z.enum(['client', 'contractor'], { error: 'validation:recordKind.required' }),
    name: requiredText('validation:recordName.required', 200),
    phone: phone(),
  })
  .refine((r) => r.kind === 'client' || r.phone !== null, {
    path: ['phone'],
    message: 'validation:phone.required',
  });

const idParam = (value: unknown) => {
  const id = z
    .string()
    .regex(/^\d{1,18}$/)
    .safeParse(value);
  if (!id.success) throw new NotFoundError();
  return Number(id.data);
};

const prefix = (q: string) => `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** J7: earlier client and contractor records with their letters; accounts and companies, read-only. */
export function staffRecordsRoutes(records: StaffRecords, db: Db): Router {
  const router = Router();
  const RECORDS = 'admin/records';

  page(router, 'adminRecords')
    .get(requireStaff, async (_req, res) =>
      res.render(RECORDS, { recent: await records.recent(), values: { kind: 'client' } }),
    )
    .post(requireStaff, async (req, res) => {
      const form = validate(recordForm, req, res, RECORDS, {
        order: ['kind', 'name', 'phone'],
        extra: { recent: await records.recent() },
      });
      if (!form) return;
      const id = await records.create({ userId: req.user!.id, ip: req.ip }, form.kind, form.name, form.phone);
      flash(req, 'flash.recordCreated', { name: form.name });
      res.redirect(303, pathFor('adminLetter', req.lang, { kind: form.kind, id: String(id) }));
    });

  /** The letter the city mails, in French and in English on one page, ready to print. */
  page(router, 'adminLetter').get(requireStaff, async (req: Request, res) => {
    const kind = z.enum(['client', 'contractor']).safeParse(req.params.kind);
    if (!kind.success) throw new NotFoundError();
    const letter = await records.letter(kind.data as RecordKind, idParam(req.params.id));
    if (!letter) throw new NotFoundError();
    res.render('admin/letter', { letter, today: new Date() });
  });

  page(router, 'adminAccounts').get(requireStaff, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
    const [accounts, companies] = q
      ? await Promise.all([
          db('users as u')
            .leftJoin('profiles as p', 'p.user_id', 'u.id')
            .whereRaw('u.email LIKE ?', [prefix(q)])
            .orWhereRaw(`lower(p.first_name || ' ' || p.last_name) LIKE ?`, [prefix(q)])
            .select('u.id', 'u.email', 'u.role', 'u.status', 'u.created_at', 'p.first_name', 'p.last_name')
            .orderBy('u.email')
            .limit(50),
          db('companies')
            .whereRaw('lower(legal_name) LIKE ?', [prefix(q)])
            .select('id', 'legal_name', 'phone')
            .orderBy('legal_name')
            .limit(50),
        ])
      : [[], []];
    res.render('admin/accounts', { q, accounts, companies });
  });

  page(router, 'adminCompany').get(requireStaff, async (req, res) => {
    const id = idParam(req.params.id);
    const company = await db('companies').where({ id }).first();
    if (!company) throw new NotFoundError();
    const { rows } = await members(db, id, { size: 500, offset: 0 });
    res.render('admin/company', { company, rows, permissions: PERMISSIONS });
  });

  return router;
}
