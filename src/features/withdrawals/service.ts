import { wantsEmail } from '../../domain/notifications';
import { emailOptOuts } from '../registration/queries';
import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import { withdrawability, type NotWithdrawable } from '../../domain/withdrawal-rules';
import type { MailQueue } from '../../mail/queue';
import { NotFoundError } from '../../errors';
import { findVisible, standingOn, type ApplicationRow, type Standing } from '../applications/queries';
import * as q from './queries';
import type { PersonActing } from '../accounts/acting';

export type Withdrawer = PersonActing;

export type RequestResult =
  { ok: true; number: string } | { ok: false; reason: 'notAllowed' | 'notWithdrawable' };

/**
 * Who may withdraw: the applicant (or the account linked to the earlier client record that applied),
 * or, for a company's application, a member with Submit or Manage.
 */
function mayWithdraw(standing: Standing, application: ApplicationRow): boolean {
  return application.company_id ? standing.member.submit : standing.own;
}

/** Whether this person may withdraw this application now, or why not ("notAllowed": not theirs to). */
export type WithdrawOption = { allowed: true } | { allowed: false; reason: NotWithdrawable | 'notAllowed' };

/**
 * The one answer to "may this person withdraw this application": who they are to it, then where it
 * stands (the rule table, domain/withdrawal-rules.ts). The page's button, the form and the request all
 * ask this.
 */
export function withdrawOption(standing: Standing, application: ApplicationRow): WithdrawOption {
  if (!mayWithdraw(standing, application)) return { allowed: false, reason: 'notAllowed' };
  return withdrawability(application);
}

/** J6: asking the city to withdraw an application, and changing one's mind while it waits. */
export function withdrawalsService({ db, mail }: { db: Db; mail: MailQueue }) {
  /** The application, locked, provided this user may see it; anything else is "not found". */
  async function lockedFor(tx: Tx, by: Withdrawer, ref: string): Promise<ApplicationRow> {
    const application = await findVisible(tx, by.userId, ref, true);
    if (!application) throw new NotFoundError();
    return application;
  }

  return {
    withdrawOption: async (userId: number, application: ApplicationRow) =>
      withdrawOption(await standingOn(db, userId, [application.id]), application),

    /**
     * Creates the request, notes it in the history, marks the application, and emails a confirmation if
     * the user asked for that notice. A second request while one waits (double click, second tab) is the
     * same request.
     */
    async request(by: Withdrawer, ref: string, comment: string): Promise<RequestResult> {
      return inTransaction(db, async (tx) => {
        const application = await lockedFor(tx, by, ref);
        const option = withdrawOption(await standingOn(tx, by.userId, [application.id]), application);
        if (!option.allowed && option.reason === 'notAllowed')
          return { ok: false, reason: 'notAllowed' } as const;
        if (application.withdrawal_pending) return { ok: true, number: application.number! } as const;
        if (!option.allowed) return { ok: false, reason: 'notWithdrawable' } as const;
        await q.insertRequest(tx, {
          applicationId: application.id,
          requestedBy: by.userId,
          comment,
          previousStatus: application.status,
        });
        await q.withdrawalStep(tx, {
          application,
          pending: true,
          by,
          event: 'withdrawal_requested',
          details: { comment },
        });
        await recordAudit(tx, {
          event: 'withdrawal.requested',
          actorUserId: by.userId,
          ip: by.ip,
          details: { applicationId: application.id },
        });
        // The confirmation, unless the person unticked it in Mon profil (the guide's « Retirer la demande »).
        if (wantsEmail(await emailOptOuts(tx, by.userId), 'withdrawal')) {
          await mail.enqueue(tx, {
            template: 'withdrawalRequested',
            to: by.email,
            lang: by.locale,
            params: { number: application.number! },
            link: { page: 'application', params: { ref: application.number! } },
          });
        }
        return { ok: true, number: application.number! } as const;
      });
    },

    /** Cancels a request that still waits for the city. */
    async cancel(by: Withdrawer, ref: string): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const application = await lockedFor(tx, by, ref);
        if (!mayWithdraw(await standingOn(tx, by.userId, [application.id]), application)) return false;
        if (!(await q.cancelPending(tx, application.id, by.userId))) return false;
        await q.withdrawalStep(tx, { application, pending: false, by, event: 'withdrawal_cancelled' });
        return true;
      });
    },

    /** A draft is not withdrawn but deleted, by the person who started it. */
    /** "Supprimer le brouillon": only one's own draft; any other application is not found. */
    async deleteDraft(by: Withdrawer, ref: string, confirm: () => boolean): Promise<boolean> {
      return inTransaction(db, async (tx) => {
        const application = await lockedFor(tx, by, ref);
        if (application.status !== 'draft' || application.created_by !== by.userId) throw new NotFoundError();
        // The question is asked once the draft is known to be theirs; nothing is deleted until answered.
        if (!confirm()) return false;
        await q.deleteApplication(tx, application.id);
        return true;
      });
    },
  };
}

export type WithdrawalsService = ReturnType<typeof withdrawalsService>;
