import { Router } from 'express';
import type { Db } from '../../db/knex';
import { NotFoundError } from '../../errors';
import { page } from '../../web/page';
import { pathFor } from '../../web/paths';
import { latestMails, mailById } from './queries';

interface DevAttachment {
  filename: string;
  contentType: string;
  content: string;
}

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
    // ?id=…&attachment=0: the attachment itself, as a mail program would save it.
    if (message && req.query.attachment !== undefined) {
      const file = (message.attachments as DevAttachment[])[Number(req.query.attachment)];
      if (!file) throw new NotFoundError();
      return res
        .set({
          'Content-Type': file.contentType,
          'Content-Disposition': `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
          'X-Content-Type-Options': 'nosniff',
        })
        .send(Buffer.from(file.content, 'base64'));
    }
    res.render('dev-mail/index', { messages, message });
  });
  return router;
}
