import { recordAudit } from '../../audit/audit';
import type { Sealer } from '../../crypto/sealing';
import { inTransaction, type Db, type Tx } from '../../db/knex';
import { assertMove, type ApplicationStatus } from '../../domain/application-lifecycle';
import type { Lang } from '../../i18n/i18n';
import type { MailQueue } from '../../mail/queue';
import { pathFor } from '../../web/paths';
import type { PasswordHashing } from '../accounts/passwords';
import { normaliseEmail } from '../accounts/queries';
import { addEvent } from '../applications/queries';
import { codeStep, newTotpSecret } from './totp';

export type Refund = 'none' | 'partial' | 'full';
export interface Decision {
  approve: boolean;
  comment: string;
  refund: Refund;
  refundCents: number | null;
}

export interface QueueItem {
  id: number;
  created_at: Date;
  comment: string;
  number: string;
  applicant_name: string;
  status: ApplicationStatus;
}

/** City staff: their accounts and second factor, and the withdrawal requests they decide. */
export function staffService({
  db,
  mail,
  passwords,
  totpSealer,
  baseUrl,
}: {
  db: Db;
  mail: MailQueue;
  passwords: PasswordHashing;
  totpSealer: Sealer;
  baseUrl: string;
}) {
  return {
    /** For `npm run staff:create`: an active staff account (never made by signing up). */
    async create(email: string, name: string, password: string): Promise<number> {
      const [row] = await db('users')
        .insert({
          email: normaliseEmail(email),
          password_hash: await passwords.hash(password),
          status: 'active',
          role: 'staff',
          display_name: name,
          locale: 'fr',
          activated_at: db.fn.now(),
          terms_accepted_at: db.fn.now(),
        })
        .returning('id');
      return row.id;
    },

    async enrolled(userId: number): Promise<boolean> {
      return !!(await db('users').where({ id: userId }).whereNotNull('totp_enrolled_at').first('id'));
    },

    /** The secret being enrolled (made once, kept sealed until the first code confirms it). */
    async pendingSecret(userId: number): Promise<string> {
      // Only set when none is kept, then read back: two tabs opening the page at once show one secret.
      await db('users')
        .where({ id: userId })
        .whereNull('totp_sealed')
        .update({ totp_sealed: totpSealer.seal({ secret: newTotpSecret() }) });
      const user = await db('users').where({ id: userId }).first('totp_sealed');
      return totpSealer.open(user!.totp_sealed).secret!;
    },

    /**
     * Checks a code; each time step is accepted once. The first good code completes the enrolment. Run in
     * the caller's transaction (accounts.secondFactor holds the account's row locked meanwhile).
     */
    async verifyCode(tx: Tx, userId: number, code: string, ip: string | undefined): Promise<boolean> {
      const user = await tx('users').where({ id: userId }).first('totp_sealed', 'totp_enrolled_at');
      const step = user?.totp_sealed
        ? await codeStep(totpSealer.open(user.totp_sealed).secret!, code)
        : undefined;
      const accepted =
        step !== undefined &&
        (await tx('users')
          .where({ id: userId })
          .andWhere((w) => void w.whereNull('totp_last_step').orWhere('totp_last_step', '<', step))
          .update({ totp_last_step: step, totp_enrolled_at: user!.totp_enrolled_at ?? tx.fn.now() })) === 1;
      await recordAudit(tx, { event: accepted ? 'mfa.succeeded' : 'mfa.failed', actorUserId: userId, ip });
      return accepted;
    },

    /** Pending withdrawal requests, oldest first. */
    async queue(): Promise<QueueItem[]> {
      return db('withdrawal_requests as w')
        .join('applications as a', 'a.id', 'w.application_id')
        .where('w.status', 'pending')
        .select('w.id', 'w.created_at', 'w.comment', 'a.number', 'a.applicant_name', 'a.status')
        .orderBy('w.created_at');
    },

    async request(id: number) {
      return db('withdrawal_requests as w')
        .join('applications as a', 'a.id', 'w.application_id')
        .where('w.id', id)
        .first('w.*', 'a.number', 'a.applicant_name', 'a.status as application_status', 'a.permit_type');
    },

    /**
     * Approve (the application becomes Retiré) or refuse (it stays where it was), with a comment and a
     * refund decision; the applicant is told in their language. Two staff deciding at once: the request
     * row is locked, the second finds it decided.
     */
    async decide(
      staff: { userId: number; name: string; ip: string | undefined },
      id: number,
      decision: Decision,
    ) {
      return inTransaction(db, async (tx) => {
        // The lock order (db/knex.ts): the application, then its request, as the applicant's cancel does.
        const found = await tx('withdrawal_requests').where({ id }).first('application_id');
        if (!found) return 'notFound' as const;
        const application = await tx('applications').where({ id: found.application_id }).forUpdate().first();
        const request = await tx('withdrawal_requests').where({ id }).forUpdate().first();
        if (request.status !== 'pending') return 'alreadyDecided' as const;
        if (decision.approve) {
          assertMove(application.status, 'withdrawn');
          await tx('applications')
            .where({ id: application.id })
            .update({ status: 'withdrawn', withdrawal_pending: false, last_activity_at: new Date() });
        } else {
          await tx('applications')
            .where({ id: application.id })
            .update({ withdrawal_pending: false, last_activity_at: new Date() });
        }
        await tx('withdrawal_requests')
          .where({ id })
          .update({
            status: decision.approve ? 'approved' : 'refused',
            decided_by: staff.userId,
            decided_at: tx.fn.now(),
            staff_comment: decision.comment,
            refund: decision.approve ? decision.refund : 'none',
            refund_cents: decision.approve && decision.refund === 'partial' ? decision.refundCents : null,
          });
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: staff.userId,
          actorName: staff.name,
          event: decision.approve ? 'withdrawn' : 'withdrawal_refused',
          from: application.status,
          to: decision.approve ? 'withdrawn' : application.status,
          details: { comment: decision.comment, refund: decision.refund },
        });
        await recordAudit(tx, {
          event: 'staff.withdrawal_decided',
          actorUserId: staff.userId,
          ip: staff.ip,
          details: {
            withdrawalRequestId: id,
            approve: decision.approve,
            refund: decision.refund,
            refundCents: decision.refundCents,
          },
        });
        const requester = request.requested_by
          ? await tx('users').where({ id: request.requested_by }).first('email', 'locale')
          : undefined;
        if (requester) {
          const lang = requester.locale as Lang;
          await mail.enqueue(tx, {
            template: decision.approve ? 'withdrawalApproved' : 'withdrawalRefused',
            to: requester.email,
            lang,
            params: {
              number: application.number,
              comment: decision.comment,
              refund: decision.approve ? decision.refund : 'none',
              amount: decision.refundCents ? (decision.refundCents / 100).toFixed(2) : '',
              link: `${baseUrl}${pathFor('application', lang, { ref: application.number })}`,
            },
          });
        }
        return 'decided' as const;
      });
    },
  };
}

export type StaffService = ReturnType<typeof staffService>;
