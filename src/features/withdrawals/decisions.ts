import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db } from '../../db/knex';
import type { Lang } from '../../i18n/i18n';
import type { MailQueue } from '../../mail/queue';
import type { Mover, MoveStatus } from '../applications/lifecycle';
import { history, lockApplication } from '../applications/queries';
import type { PaymentsService } from '../payments/service';
import * as q from './queries';

export interface Decision {
  approve: boolean;
  comment: string;
  refund: q.Refund;
  refundCents: number | null;
}

/** J7, the city's side of J6: the queue of withdrawal requests, and the staff decision on each. */
export function withdrawalDecisions({
  db,
  mail,
  moveStatus,
  payments,
}: {
  db: Db;
  mail: MailQueue;
  moveStatus: MoveStatus;
  /** Refunds go back through the payment provider. */
  payments?: PaymentsService;
}) {
  return {
    queue: () => q.pendingQueue(db),
    decided: () => q.decidedRequests(db),

    request: (id: number) => q.requestWithApplication(db, id),

    /** What the decision page shows of money: paid, left to refund, the stage reached, the suggestion. */
    async refundQuote(request: { application_id: number }) {
      if (!payments) return undefined;
      const events = (await history(db, request.application_id)).map((e) => e.event);
      return payments.refundQuote(request.application_id, events);
    },

    /**
     * Approve (the application becomes Retiré) or refuse (it stays where it was), with a comment and a
     * refund decision; the applicant is told in their language. Two staff deciding at once: the request
     * row is locked, the second finds it decided.
     */
    async decide(staff: Mover, id: number, decision: Decision) {
      const refunding = decision.approve && decision.refund !== 'none';
      const outcome = await inTransaction(db, async (tx) => {
        // The lock order (db/knex.ts): the application, then its request, as the applicant's cancel does.
        const applicationId = await q.applicationOfRequest(tx, id);
        if (applicationId === undefined) return 'notFound' as const;
        const application = (await lockApplication(tx, applicationId))!;
        const request = (await q.lockRequest(tx, id))!;
        if (request.status !== 'pending') return 'alreadyDecided' as const;
        // The refund first: more than was paid is refused before anything is written.
        let refundedCents = 0;
        if (refunding) {
          if (!payments) return 'refundTooLarge' as const;
          const planned = await payments.planRefund(
            tx,
            application.id,
            id,
            decision.refund === 'full' ? 'all' : decision.refundCents!,
          );
          if (planned === undefined) return 'refundTooLarge' as const;
          refundedCents = planned;
        }
        await q.recordDecision(tx, id, { ...decision, decidedBy: staff.userId });
        const details = { comment: decision.comment, refund: decision.refund };
        const audit = {
          event: 'staff.withdrawal_decided' as const,
          details: {
            withdrawalRequestId: id,
            approve: decision.approve,
            refund: decision.refund,
            refundCents: decision.refundCents,
          },
        };
        const requester = await q.requester(tx, request.requested_by);
        const email = requester && {
          template: decision.approve ? ('withdrawalApproved' as const) : ('withdrawalRefused' as const),
          to: requester.email as string,
          lang: requester.locale as Lang,
          params: {
            number: application.number!,
            comment: decision.comment,
            refund: decision.approve ? decision.refund : 'none',
            feeCents: String(refundedCents),
          },
          link: { page: 'application' as const, params: { ref: application.number! } },
        };
        if (decision.approve) {
          await moveStatus(tx, {
            application,
            to: 'withdrawn',
            side: 'staff',
            by: staff,
            event: 'withdrawn',
            details,
            columns: { withdrawal_pending: false },
            audit,
            email,
          });
          return 'decided' as const;
        }
        // Refused: the application stays where it was, its request no longer pending.
        await q.withdrawalStep(tx, {
          application,
          pending: false,
          by: staff,
          event: 'withdrawal_refused',
          details,
        });
        await recordAudit(tx, { ...audit, actorUserId: staff.userId, ip: staff.ip });
        if (email) await mail.enqueue(tx, email);
        return 'decided' as const;
      });
      // Committed: now the provider gives the money back (a failure is recorded for staff, not undone).
      if (outcome === 'decided' && refunding && payments) await payments.executeRefunds(id);
      return outcome;
    },
  };
}

export type WithdrawalDecisions = ReturnType<typeof withdrawalDecisions>;
