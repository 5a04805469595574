import { Router } from 'express';
import type { Db } from '../../db/knex';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';

/**
 * Development only (never mounted in production, nor when SMTP is configured): the mails the portal
 * sent, so a newcomer can click an activation link without a mail server.
 */
export function devMailRoutes(db: Db): Router {
  const router = Router();
  router.get('/dev/mail', (req, res) => res.redirect(303, pathFor('devMail', req.lang)));
  page(router, 'devMail').get(async (req, res) => {
    const selected = Number(req.query.id);
    const messages = await db('dev_mailbox')
      .select('id', 'to_address', 'subject', 'created_at')
      .orderBy('id', 'desc')
      .limit(50);
    const message =
      Number.isInteger(selected) && selected > 0
        ? await db('dev_mailbox').where({ id: selected }).first()
        : undefined;
    if (req.query.id !== undefined && !message) throw new NotFoundError();
    res.render('dev-mail/index', { messages, message });
  });
  return router;
}
