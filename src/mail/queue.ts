import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/knex';
import type { Lang } from '../i18n/i18n';
import type { Sealer } from '../crypto/sealing';

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
  | 'withdrawalRefused';

export interface EmailJob {
  template: EmailTemplate;
  to: string;
  lang: Lang;
  /** Values shown in the email (no secrets). */
  params?: Record<string, string>;
  /** Values that must not rest in clear in the database (links with tokens); sealed until sent. */
  sealed?: string;
  /**
   * Chosen when queued, so a copy sent again after a crash (the queue delivers at least once) carries the
   * same Message-ID and mail systems can drop the duplicate.
   */
  messageId?: string;
}

export const SEND_EMAIL_TASK = 'send_email';

export interface MailQueue {
  /** Queues an email in the caller's transaction: it is sent only if that transaction commits. */
  enqueue: (tx: Tx, email: Omit<EmailJob, 'sealed'> & { secrets?: Record<string, string> }) => Promise<void>;
}

export function createMailQueue(sealer: Sealer): MailQueue {
  return {
    async enqueue(tx, { secrets, ...email }) {
      const job: EmailJob = {
        ...email,
        ...(secrets ? { sealed: sealer.seal(secrets) } : {}),
        messageId: randomUUID(),
      };
      await tx.raw(`SELECT graphile_worker.add_job(?, ?::json, max_attempts => 15)`, [
        SEND_EMAIL_TASK,
        JSON.stringify(job),
      ]);
    },
  };
}
