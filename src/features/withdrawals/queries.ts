import type { Db, Tx } from '../../db/knex';
import type { ApplicationStatus } from '../../domain/application-lifecycle';
import { addEvent } from '../applications/queries';

type Conn = Db | Tx;

export type Refund = 'none' | 'partial' | 'full';

export interface QueueItem {
  id: number;
  created_at: Date;
  comment: string;
  number: string;
  applicant_name: string;
  status: ApplicationStatus;
}

export interface RequestRow {
  id: number;
  application_id: number;
  requested_by: number | null;
  status: 'pending' | 'approved' | 'refused' | 'cancelled';
  comment: string;
}

/** Pending withdrawal requests, oldest first (staff's queue). */
export async function pendingQueue(db: Conn): Promise<QueueItem[]> {
  return db('withdrawal_requests as w')
    .join('applications as a', 'a.id', 'w.application_id')
    .where('w.status', 'pending')
    .select('w.id', 'w.created_at', 'w.comment', 'a.number', 'a.applicant_name', 'a.status')
    .orderBy('w.created_at');
}

export interface DecidedItem extends QueueItem {
  decision: 'approved' | 'refused';
  decided_at: Date;
  decided_by_name: string | null;
  refund: Refund | null;
  refund_cents: number | null;
}

/** The latest decided requests, newest first: a decision stays findable once out of the queue. */
export async function decidedRequests(db: Conn, limit = 50): Promise<DecidedItem[]> {
  return db('withdrawal_requests as w')
    .join('applications as a', 'a.id', 'w.application_id')
    .leftJoin('users as d', 'd.id', 'w.decided_by')
    .whereIn('w.status', ['approved', 'refused'])
    .select(
      'w.id',
      'w.created_at',
      'w.comment',
      'w.status as decision',
      'w.decided_at',
      'w.refund',
      'w.refund_cents',
      'd.display_name as decided_by_name',
      'a.number',
      'a.applicant_name',
      'a.status',
    )
    .orderBy('w.decided_at', 'desc')
    .limit(limit);
}

/** A request with what staff see of its application (its address too), and who decided it. */
export async function requestWithApplication(db: Conn, id: number) {
  return db('withdrawal_requests as w')
    .join('applications as a', 'a.id', 'w.application_id')
    .leftJoin('users as d', 'd.id', 'w.decided_by')
    .where('w.id', id)
    .first(
      'w.*',
      'a.number',
      'a.applicant_name',
      'a.status as application_status',
      'a.permit_type',
      'a.unit',
      'a.street_number',
      'a.street_name',
      'a.city',
      'd.display_name as decided_by_name',
    );
}

/** Which application a request is about (read without a lock: the application is locked first). */
export async function applicationOfRequest(tx: Tx, id: number): Promise<number | undefined> {
  return (await tx('withdrawal_requests').where({ id }).first('application_id'))?.application_id;
}

/** The request, locked: taken after its application's lock (db/knex.ts, the lock order). */
export async function lockRequest(tx: Tx, id: number): Promise<RequestRow | undefined> {
  return tx<RequestRow>('withdrawal_requests').where({ id }).forUpdate().first();
}

export async function insertRequest(
  tx: Tx,
  request: { applicationId: number; requestedBy: number; comment: string; previousStatus: ApplicationStatus },
): Promise<void> {
  await tx('withdrawal_requests').insert({
    application_id: request.applicationId,
    requested_by: request.requestedBy,
    comment: request.comment,
    previous_status: request.previousStatus,
  });
}

export async function recordDecision(
  tx: Tx,
  id: number,
  decision: {
    approve: boolean;
    decidedBy: number;
    comment: string;
    refund: Refund;
    refundCents: number | null;
  },
): Promise<void> {
  await tx('withdrawal_requests')
    .where({ id })
    .update({
      status: decision.approve ? 'approved' : 'refused',
      decided_by: decision.decidedBy,
      decided_at: tx.fn.now(),
      staff_comment: decision.comment,
      refund: decision.approve ? decision.refund : 'none',
      refund_cents: decision.approve && decision.refund === 'partial' ? decision.refundCents : null,
    });
}

/** Cancels the application's pending request; false when none was pending. */
export async function cancelPending(tx: Tx, applicationId: number, by: number): Promise<boolean> {
  const cancelled = await tx('withdrawal_requests')
    .where({ application_id: applicationId, status: 'pending' })
    .update({ status: 'cancelled', decided_at: tx.fn.now(), decided_by: by });
  return cancelled > 0;
}

/**
 * A step of a request that leaves the status where it is (asked, cancelled, refused): whether a request
 * now waits (the page and the staff moves read it), and the entry in the application's history.
 */
export async function withdrawalStep(
  tx: Tx,
  step: {
    application: { id: number; status: ApplicationStatus };
    pending: boolean;
    by: { userId: number; name: string };
    event: 'withdrawal_requested' | 'withdrawal_cancelled' | 'withdrawal_refused';
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await tx('applications')
    .where({ id: step.application.id })
    .update({ withdrawal_pending: step.pending, last_activity_at: new Date() });
  await addEvent(tx, {
    applicationId: step.application.id,
    actorUserId: step.by.userId,
    actorName: step.by.name,
    event: step.event,
    ...(step.event === 'withdrawal_refused'
      ? { from: step.application.status, to: step.application.status }
      : {}),
    details: step.details,
  });
}

export async function deleteApplication(tx: Tx, applicationId: number): Promise<void> {
  await tx('applications').where({ id: applicationId }).delete();
}

/** Who asked, to tell them the decision in their language. */
export async function requester(tx: Tx, userId: number | null) {
  return userId ? tx('users').where({ id: userId }).first('email', 'locale') : undefined;
}
