import { recordAudit, type AuditEvent } from '../../audit/audit';
import type { Tx } from '../../db/knex';
import { assertMove, type ApplicationStatus, type Side } from '../../domain/application-lifecycle';
import type { EmailRequest, MailQueue } from '../../mail/queue';
import type { PersonActing } from '../accounts/acting';
import { readClock } from '../../domain/review-clock';
import { addEvent, clockInputs, setDecisionDue, setStatus } from './queries';

/** Who moves an application: the applicant or a staff member, with their address for the audit. */
export type Mover = Pick<PersonActing, 'userId' | 'name'> & Partial<Pick<PersonActing, 'ip'>>;

export interface StatusMove {
  application: { id: number; status: ApplicationStatus };
  to: ApplicationStatus;
  /** The side making the move: the lifecycle says which side makes each (domain MOVES). */
  side: Side;
  by: Mover;
  /** The entry in the application's history ('submitted', 'status_changed', 'withdrawn'…). */
  event: string;
  /** Shown with the history entry (a reason, a comment). */
  details?: Record<string, unknown>;
  /** Other columns the move writes with the status (a file number, a pending flag cleared). */
  columns?: Record<string, unknown>;
  /** A security-relevant move is also in the audit trail. */
  audit?: { event: AuditEvent; details: Record<string, unknown> };
  /** The email the move sends, queued in the same transaction. */
  email?: EmailRequest;
}

/**
 * The one way an application changes status, in the caller's transaction (which holds the application's
 * row locked): the move is checked against the lifecycle (domain/application-lifecycle.ts), then the row,
 * its history, the audit trail and the email, all or nothing. Returns nothing; an illegal move throws
 * IllegalStatusMove before anything is written.
 */
export function statusMoves(mail: MailQueue) {
  return async function moveStatus(tx: Tx, move: StatusMove): Promise<void> {
    const from = move.application.status;
    assertMove(from, move.to, move.side);
    await setStatus(tx, move.application.id, move.to, move.columns);
    await addEvent(tx, {
      applicationId: move.application.id,
      actorUserId: move.by.userId,
      actorName: move.by.name,
      event: move.event,
      from,
      to: move.to,
      details: move.details,
    });
    await keepClock(tx, move.application.id);
    if (move.audit)
      await recordAudit(tx, {
        event: move.audit.event,
        actorUserId: move.by.userId,
        ip: move.by.ip,
        details: move.audit.details,
      });
    if (move.email) await mail.enqueue(tx, move.email);
  };
}

export type MoveStatus = ReturnType<typeof statusMoves>;

/**
 * Writes the review clock's due date on the application, as its history now reads (domain/review-clock.ts):
 * the staff queue is sorted by it through an index. After every move, and for an earlier application
 * imported with its status.
 */
export async function keepClock(tx: Tx, applicationId: number): Promise<void> {
  const inputs = await clockInputs(tx, applicationId);
  if (!inputs) return;
  const reading = readClock(inputs.application, inputs.events, new Date());
  await setDecisionDue(tx, applicationId, reading?.state === 'running' ? reading.due : null);
}
