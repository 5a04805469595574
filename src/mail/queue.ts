import { randomUUID } from 'node:crypto';
import { addJob } from '../db/jobs';
import type { Tx } from '../db/knex';
import type { Lang } from '../i18n/i18n';
import type { Sealer } from '../crypto/sealing';
import { pathFor, type PageName } from '../web/paths';

export type EmailTemplate =
  | 'activation'
  | 'signupAddressTaken'
  | 'alreadyActive'
  | 'passwordReset'
  | 'passwordChanged'
  | 'emailChangeConfirm'
  | 'emailChangeNotice'
  | 'emailChangeTaken'
  | 'emailChanged'
  | 'accountLocked'
  | 'companyMemberJoined'
  | 'companyAccessChanged'
  | 'companyRemoved'
  | 'withdrawalRequested'
  | 'withdrawalApproved'
  | 'withdrawalRefused'
  | 'statusChanged'
  | 'informationRequested'
  | 'informationProvided'
  | 'permitIssued'
  | 'refused'
  | 'messageToApplicant'
  | 'messageToStaff'
  | 'feesAssessed'
  | 'receipt'
  | 'companyBankChanged'
  | 'documentInfected'
  | 'documentInfectedStaff'
  | 'applicationSubmitted'
  | 'inspectionScheduled'
  | 'inspectionMoved'
  | 'inspectionCancelled'
  | 'inspectionPassed'
  | 'inspectionFailed';

export interface EmailJob {
  template: EmailTemplate;
  to: string;
  lang: Lang;
  /** Values shown in the email (no secrets). */
  params?: Record<string, string>;
  /** A list shown after the paragraphs (the deficiencies staff ask about). */
  items?: string[];
  /** Files sent with the email (a permit), their content in base64. */
  attachments?: { filename: string; contentType: string; content: string }[];
  /** Values that must not rest in clear in the database (links with tokens); sealed until sent. */
  sealed?: string;
  /**
   * Chosen when queued, so a copy sent again after a crash (the queue delivers at least once) carries the
   * same Message-ID and mail systems can drop the duplicate.
   */
  messageId?: string;
}

export const SEND_EMAIL_TASK = 'send_email';

/** The portal page an email's button opens, in the recipient's language. */
export interface LinkTo {
  page: PageName;
  params?: Record<string, string>;
  /** A single-use token the link carries (?token=…): the whole link is then sealed until sent. */
  token?: string;
}

export type EmailRequest = Omit<EmailJob, 'sealed' | 'messageId'> & { link?: LinkTo };

export interface MailQueue {
  /** Queues an email in the caller's transaction: it is sent only if that transaction commits. */
  enqueue: (tx: Tx, email: EmailRequest) => Promise<void>;
}

/**
 * The queue of emails. Links are made here, from the page's name and the public address, so the features
 * that send emails know nothing of URLs; a link with a token never rests in clear in the database.
 */
export function createMailQueue(sealer: Sealer, baseUrl: string): MailQueue {
  return {
    async enqueue(tx, { link, ...email }) {
      const url = link && `${baseUrl}${pathFor(link.page, email.lang, link.params)}`;
      const job: EmailJob = {
        ...email,
        ...(url && !link.token ? { params: { ...email.params, link: url } } : {}),
        ...(url && link.token ? { sealed: sealer.seal({ link: `${url}?token=${link.token}` }) } : {}),
        messageId: randomUUID(),
      };
      await addJob(tx, SEND_EMAIL_TASK, job);
    },
  };
}
