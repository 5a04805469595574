import { Router, type Request } from 'express';
import { z } from 'zod';
import { flash } from '../../web/flash';
import { validate } from '../../web/forms';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { idParam } from '../../web/params';
import { pathFor } from '../../web/paths';
import { phone, requiredText } from '../../web/fields';
import { requireStaff } from '../staff/guard';
import type { EarlierRecords, RecordKind } from './service';

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

/** J7: staff create earlier client and contractor records, and print the letters with their PINs. */
export function earlierRecordsRoutes(records: EarlierRecords): Router {
  const router = Router();
  const RECORDS = 'earlier-records/records';

  page(router, 'staffRecords')
    .get(requireStaff, async (req, res) => {
      // A record's name typed in the search: its letter can be printed again, however old it is.
      const q = typeof req.query.q === 'string' ? req.query.q.trim().slice(0, 100) : '';
      res.render(RECORDS, { recent: await records.recent(q || undefined), q, values: { kind: 'client' } });
    })
    .post(requireStaff, async (req, res) => {
      const form = validate(recordForm, req, res, RECORDS, {
        order: ['kind', 'name', 'phone'],
        extra: { recent: await records.recent(), q: '' },
      });
      if (!form) return;
      const id = await records.create({ userId: req.user!.id, ip: req.ip }, form.kind, form.name, form.phone);
      flash(req, 'flash.recordCreated', { name: form.name });
      res.redirect(303, pathFor('staffLetter', req.lang, { kind: form.kind, id: String(id) }));
    });

  /** The letter the city mails, in French and in English on one page, ready to print. */
  const letterOf = (req: Request) => {
    const kind = z.enum(['client', 'contractor']).safeParse(req.params.kind);
    if (!kind.success) throw new NotFoundError();
    return { kind: kind.data as RecordKind, id: idParam(req.params.id) };
  };
  page(router, 'staffLetter')
    .get(requireStaff, async (req: Request, res) => {
      const { kind, id } = letterOf(req);
      const letter = await records.letter(kind, id);
      if (!letter) throw new NotFoundError();
      res.render('earlier-records/letter', { letter, today: new Date() });
    })
    // "Créer un nouveau NIP" (records.renewPin).
    .post(requireStaff, async (req: Request, res) => {
      const { kind, id } = letterOf(req);
      const letter = await records.letter(kind, id);
      if (!letter) throw new NotFoundError();
      const renewed = await records.renewPin({ userId: req.user!.id, ip: req.ip }, kind, id);
      flash(req, renewed ? 'flash.pinRenewed' : 'staff:letter.usedCannotRenew');
      res.redirect(303, pathFor('staffLetter', req.lang, { kind, id: String(id) }));
    });

  return router;
}
