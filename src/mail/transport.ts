import nodemailer from 'nodemailer';
import type { Db } from '../db/knex';
import type { RenderedEmail } from './render';

export interface Mailer {
  send: (email: RenderedEmail) => Promise<void>;
  describe: string;
}

/** Real SMTP when SMTP_URL is set. */
export function smtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport(smtpUrl);
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'portal.localhost';
  return {
    describe: 'SMTP',
    async send({ messageId, ...email }) {
      await transport.sendMail({
        from,
        ...email,
        ...(messageId ? { messageId: `<${messageId}@${domain}>` } : {}),
      });
    },
  };
}

/** Outside production without SMTP: mails are kept in the database and listed on the development page. */
export function devMailboxMailer(db: Db): Mailer {
  return {
    describe: 'development mailbox',
    async send(email) {
      await db('dev_mailbox').insert({
        to_address: email.to,
        subject: email.subject,
        text_body: email.text,
        html_body: email.html,
        attachments: JSON.stringify(
          (email.attachments ?? []).map((file) => ({
            filename: file.filename,
            contentType: file.contentType,
            content: file.content.toString('base64'),
          })),
        ),
      });
    },
  };
}
