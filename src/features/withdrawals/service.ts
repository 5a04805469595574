import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import { withdrawability } from '../../domain/withdrawal-rules';
import type { Lang } from '../../i18n/i18n';
import type { MailQueue } from '../../mail/queue';
import { pathFor } from '../../web/paths';
import { NotFoundError } from '../../web/errors';
import { addEvent, findVisible, type ApplicationRow } from '../applications/queries';
import { companiesWhereMay } from '../companies/permissions';

export interface Withdrawer {
  userId: number;
  name: string;
  email: string;
  locale: Lang;
  ip: string | undefined;
}

export type RequestResult =
  { ok: true; number: string } | { ok: false; reason: 'notAllowed' | 'notWithdrawable' };

/**
 * Who may withdraw: the applicant (or the account linked to the earlier client record that applied),
 * or, for a company's application, a member with Submit or Manage.
 */
export async function mayWithdraw(
  db: Db | Tx,
  userId: number,
  application: ApplicationRow,
): Promise<boolean> {
  if (application.company_id) {
    return (await companiesWhereMay(db, userId, 'submit')).some((c) => c.id === application.company_id);
  }
  if (application.applicant_user_id === userId) return true;
  if (!application.client_record_id) return false;
  return !!(await db('client_records')
    .where({ id: application.client_record_id, linked_user_id: userId })
    .first());
}

/** J6: asking the city to withdraw an application, and changing one's mind while it waits. */
export function withdrawalsService({ db, mail, baseUrl }: { db: Db; mail: MailQueue; baseUrl: string }) {
  /** The application, locked, provided this user may withdraw it; anything else is "not found". */
  async function lockedFor(tx: Tx, by: Withdrawer, ref: string): Promise<ApplicationRow> {
    const application = await findVisible(tx, by.userId, ref, true);
    if (!application) throw new NotFoundError();
    return application;
  }

  return {
    mayWithdraw: (userId: number, application: ApplicationRow) => mayWithdraw(db, userId, application),

    pendingRequest: (applicationId: number) =>
      db('withdrawal_requests').where({ application_id: applicationId, status: 'pending' }).first(),

    /**
     * Creates the request, notes it in the history, marks the application, and emails a confirmation if
     * the user asked for that notice. A second request while one waits (double click, second tab) is the
     * same request.
     */
    async request(by: Withdrawer, ref: string, comment: string, notify: boolean): Promise<RequestResult> {
      return inTransaction(db, async (tx) => {
        const application = await lockedFor(tx, by, ref);
        if (!(await mayWithdraw(tx, by.userId, application)))
          return { ok: false, reason: 'notAllowed' } as const;
        if (application.withdrawal_pending) return { ok: true, number: application.number! } as const;
        if (!withdrawability(application).allowed) return { ok: false, reason: 'notWithdrawable' } as const;
        await tx('withdrawal_requests').insert({
          application_id: application.id,
          requested_by: by.userId,
          comment,
          previous_status: application.status,
        });
        await tx('applications')
          .where({ id: application.id })
          .update({ withdrawal_pending: true, last_activity_at: new Date() });
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'withdrawal_requested',
          details: { comment },
        });
        await recordAudit(tx, {
          event: 'withdrawal.requested',
          actorUserId: by.userId,
          ip: by.ip,
          details: { applicationId: application.id },
        });
        if (notify) {
          await mail.enqueue(tx, {
            template: 'withdrawalRequested',
            to: by.email,
            lang: by.locale,
            params: {
              number: application.number!,
              link: `${baseUrl}${pathFor('application', by.locale, { ref: application.number! })}`,
            },
          });
        }
        return { ok: true, number: application.number! } as const;
      });
    },

    /** Cancels a request that still waits for the city. */
    async cancel(by: Withdrawer, ref: string): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const application = await lockedFor(tx, by, ref);
        if (!(await mayWithdraw(tx, by.userId, application))) return false;
        const cancelled = await tx('withdrawal_requests')
          .where({ application_id: application.id, status: 'pending' })
          .update({ status: 'cancelled', decided_at: tx.fn.now(), decided_by: by.userId });
        if (!cancelled) return false;
        await tx('applications')
          .where({ id: application.id })
          .update({ withdrawal_pending: false, last_activity_at: new Date() });
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId,
          actorName: by.name,
          event: 'withdrawal_cancelled',
        });
        return true;
      });
    },

    /** A draft is not withdrawn but deleted, by the person who started it. */
    async deleteDraft(by: Withdrawer, ref: string): Promise<void> {
      await inTransaction(db, async (tx) => {
        const application = await lockedFor(tx, by, ref);
        if (application.status !== 'draft' || application.created_by !== by.userId) throw new NotFoundError();
        await tx('applications').where({ id: application.id }).delete();
      });
    },
  };
}

export type WithdrawalsService = ReturnType<typeof withdrawalsService>;
