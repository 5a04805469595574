import type { Tx } from '../../db/knex';
import { wantsEmail, type NotificationEvent } from '../../domain/notifications';
import type { Lang } from '../../i18n/i18n';
import type { EmailRequest, MailQueue } from '../../mail/queue';
import type { ApplicationRow } from '../applications/queries';
import { applicantSide, recipient, staffSide, type Recipient } from './queries';

/** An email about an application, before its recipient is known. */
export type Notice = Omit<EmailRequest, 'to' | 'lang'>;

/**
 * Emails about an application go to a whole side, each person in their own language, skipping whoever
 * opted out of that event in "Mon profil" and whoever caused it (they know). Queued in the caller's
 * transaction.
 */
export function notifier(mail: MailQueue) {
  async function send(
    tx: Tx,
    people: Recipient[],
    event: NotificationEvent,
    notice: Notice,
    except?: number,
  ) {
    for (const person of people) {
      if (person.id === except || !wantsEmail(person.email_opt_outs, event)) continue;
      await mail.enqueue(tx, { ...notice, to: person.email, lang: person.locale as Lang });
    }
  }
  return {
    async applicantSide(
      tx: Tx,
      application: Pick<ApplicationRow, 'applicant_user_id' | 'client_record_id' | 'company_id'>,
      event: NotificationEvent,
      notice: Notice,
      except?: number,
    ): Promise<void> {
      await send(tx, await applicantSide(tx, application), event, notice, except);
    },

    /** One person: the one who acted, when the email is their own proof (a submission's receipt). */
    async person(tx: Tx, userId: number, event: NotificationEvent, notice: Notice): Promise<void> {
      await send(tx, await recipient(tx, userId), event, notice);
    },

    async staffSide(
      tx: Tx,
      application: Pick<ApplicationRow, 'reviewer_user_id'>,
      notice: Notice,
      except?: number,
    ): Promise<void> {
      await send(tx, await staffSide(tx, application.reviewer_user_id), 'messages', notice, except);
    },
  };
}

export type Notifier = ReturnType<typeof notifier>;
