import { Router } from 'express';
import type { Db } from '../../db/knex';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { latestMails, mailById } from './queries';

/**
 * Development only (never mounted in production, nor when SMTP is configured): the mails the portal
 * sent, so a newcomer can click an activation link without a mail server.
 */
export function devMailRoutes(db: Db): Router {
  const router = Router();
  router.get('/dev/mail', (req, res) => res.redirect(303, pathFor('devMail', req.lang)));
  page(router, 'devMail').get(async (req, res) => {
    const selected = Number(req.query.id);
    const messages = await latestMails(db);
    const message = Number.isInteger(selected) && selected > 0 ? await mailById(db, selected) : undefined;
    if (req.query.id !== undefined && !message) throw new NotFoundError();
    res.render('dev-mail/index', { messages, message });
  });
  return router;
}
