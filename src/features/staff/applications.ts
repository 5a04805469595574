import { recordAudit } from '../../audit/audit';
import { inTransaction, type Db } from '../../db/knex';
import { assertMove, nextStatuses, type ApplicationStatus } from '../../domain/application-lifecycle';
import { addEvent, history, type ApplicationRow } from '../applications/queries';

/** The moves staff make by hand; Retiré goes through a withdrawal request, never directly. */
export const STAFF_MOVES: readonly ApplicationStatus[] = ['in_review', 'payment_due', 'issued', 'closed'];

export type MoveResult = 'moved' | 'notFound' | 'illegal' | 'withdrawalPending';

/** Staff's side of applications: search, read, and move along the lifecycle with a reason. */
export function staffApplications(db: Db) {
  return {
    /** By file number, or by the start of the applicant's name or street (each served by an index). */
    async search(query: string): Promise<ApplicationRow[]> {
      const q = query.trim();
      if (!q) return [];
      const prefix = `${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      return db('applications')
        .where('number', q.toUpperCase())
        .orWhereRaw('lower(applicant_name) LIKE ?', [prefix])
        .orWhereRaw('lower(street_name) LIKE ?', [prefix])
        .orderBy('last_activity_at', 'desc')
        .limit(50);
    },

    async find(number: string) {
      const application: ApplicationRow | undefined = await db('applications').where({ number }).first();
      if (!application) return undefined;
      const moves = application.withdrawal_pending
        ? []
        : nextStatuses(application.status).filter((s) => STAFF_MOVES.includes(s));
      return { application, history: await history(db, application.id), moves };
    },

    async move(
      staff: { userId: number; name: string; ip: string | undefined },
      number: string,
      to: ApplicationStatus,
      reason: string,
    ): Promise<MoveResult> {
      return inTransaction(db, async (tx) => {
        const application: ApplicationRow | undefined = await tx('applications')
          .where({ number })
          .forUpdate()
          .first();
        if (!application) return 'notFound';
        // A pending withdrawal is decided first: the applicant asked before this move.
        if (application.withdrawal_pending) return 'withdrawalPending';
        if (!STAFF_MOVES.includes(to)) return 'illegal';
        try {
          assertMove(application.status, to);
        } catch {
          return 'illegal';
        }
        await tx('applications')
          .where({ id: application.id })
          .update({ status: to, last_activity_at: new Date() });
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: staff.userId,
          actorName: staff.name,
          event: 'status_changed',
          from: application.status,
          to,
          details: { reason },
        });
        await recordAudit(tx, {
          event: 'staff.status_changed',
          actorUserId: staff.userId,
          ip: staff.ip,
          details: { applicationId: application.id, from: application.status, to, reason },
        });
        return 'moved';
      });
    },
  };
}

export type StaffApplications = ReturnType<typeof staffApplications>;
