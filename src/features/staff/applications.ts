import { inTransaction, type Db } from '../../db/knex';
import { canMove, nextStatuses, type ApplicationStatus } from '../../domain/application-lifecycle';
import { readClock } from '../../domain/review-clock';
import type { Mover, MoveStatus } from '../applications/lifecycle';
import { history, lockApplicationByNumber, type ApplicationRow } from '../applications/queries';
import * as q from './queries';

/** The moves staff make by hand; Retiré goes through a withdrawal request, never directly. */
export const STAFF_MOVES: readonly ApplicationStatus[] = ['in_review', 'payment_due', 'issued', 'closed'];

export type MoveResult = 'moved' | 'notFound' | 'illegal' | 'withdrawalPending' | 'changed';

/** Staff's side of applications: search, read, and move along the lifecycle with a reason. */
export function staffApplications({ db, moveStatus }: { db: Db; moveStatus: MoveStatus }) {
  return {
    /** By file number, or by the start of the applicant's name or street (each served by an index). */
    async search(query: string): Promise<ApplicationRow[]> {
      const typed = query.trim();
      return typed ? q.searchApplications(db, typed) : [];
    },

    async find(number: string) {
      const application = await q.applicationByNumber(db, number);
      if (!application) return undefined;
      const moves = application.withdrawal_pending
        ? []
        : nextStatuses(application.status).filter((s) => STAFF_MOVES.includes(s));
      const events = await history(db, application.id);
      return { application, history: events, moves, clock: readClock(application, events, new Date()) };
    },

    /**
     * Moves the application with a reason. `seen` is the status the staff member's page showed: when
     * another has moved it since (two at once: the second waits on the row's lock), this one is told.
     */
    async move(
      staff: Mover,
      number: string,
      to: ApplicationStatus,
      reason: string,
      seen?: ApplicationStatus,
    ): Promise<MoveResult> {
      return inTransaction(db, async (tx) => {
        const application = await lockApplicationByNumber(tx, number);
        if (!application) return 'notFound';
        if (seen && application.status !== seen) return 'changed';
        // A pending withdrawal is decided first: the applicant asked before this move.
        if (application.withdrawal_pending) return 'withdrawalPending';
        if (!STAFF_MOVES.includes(to) || !canMove(application.status, to)) return 'illegal';
        await moveStatus(tx, {
          application,
          to,
          side: 'staff',
          by: staff,
          event: 'status_changed',
          details: { reason },
          audit: {
            event: 'staff.status_changed',
            details: { applicationId: application.id, from: application.status, to, reason },
          },
        });
        return 'moved';
      });
    },
  };
}

export type StaffApplications = ReturnType<typeof staffApplications>;
