import { inTransaction, type Db, type Tx } from '../../db/knex';
import { Read } from '../../db/together';
import type { Mover, MoveStatus } from '../applications/lifecycle';
import {
  findVisible,
  lockApplicationByNumber,
  mayAct,
  mayActFor,
  type ApplicationRow,
  type Standing,
} from '../applications/queries';
import type { Notifier } from './notify';
import * as q from './queries';

export type PostResult = 'sent' | 'notFound' | 'notAllowed' | 'notOpen';

/** Messages are written once an application is with the city, and until nothing more can happen to it. */
const CONVERSING: readonly ApplicationRow['status'][] = [
  'submitted',
  'in_review',
  'information_required',
  'payment_due',
  'issued',
];

/**
 * The conversation on an application ("Messages", J8): the applicant's side and staff write to each other,
 * each message emailed to the other side; a reply ("Répondre") answers one deficiency, and once every
 * deficiency is answered the review goes on by itself (the clock starts again). Staff mark deficiencies
 * resolved and keep notes only staff see.
 */
export function conversation({
  db,
  moveStatus,
  notify,
}: {
  db: Db;
  moveStatus: MoveStatus;
  notify: Notifier;
}) {
  // The applicant's side (queries.applicantSide, who is emailed) is whoever may submit for it.
  const onApplicantSide = (tx: Db | Tx, application: ApplicationRow, userId: number) =>
    mayActFor(tx, userId, [application.id], 'submit');

  /**
   * In the caller's transaction, which holds the application's row: a message from the applicant's side
   * (checked by the caller), answering the open deficiency `answering` names; staff are emailed, and once
   * every deficiency is answered the review goes on by itself. Also how an upload answers a request for
   * a document (its message lists the files).
   */
  async function applicantWrites(
    tx: Tx,
    application: ApplicationRow,
    by: Mover,
    body: string,
    answering?: number,
  ): Promise<void> {
    const id = await q.insertMessage(tx, {
      applicationId: application.id,
      authorUserId: by.userId!,
      authorName: by.name!,
      side: 'applicant',
      body,
    });
    if (answering !== undefined) await q.answerDeficiency(tx, application.id, answering, id);
    const link = { page: 'staffApplication' as const, params: { number: application.number! } };
    await notify.staffSide(
      tx,
      application,
      {
        template: 'messageToStaff',
        params: { number: application.number!, author: by.name!, body },
        link,
      },
      by.userId!,
    );
    if (
      application.status === 'information_required' &&
      (await q.unansweredCount(tx, application.id)) === 0
    ) {
      await moveStatus(tx, {
        application,
        to: 'in_review',
        side: 'applicant',
        by,
        event: 'information_provided',
      });
      await notify.staffSide(tx, application, {
        template: 'informationProvided',
        params: { number: application.number! },
        link,
      });
    }
  }

  return {
    /** What the applicant's page shows: the messages (never staff's notes), the deficiencies, and whether this person may write. */
    forApplicantSide: (application: ApplicationRow, standing: Read<Standing>) =>
      Read.all(
        [q.messages(db, application.id, false), q.deficiencies(db, application.id), standing],
        ([messages, deficiencies, them]) => {
          const mayWrite = mayAct(them, 'submit') && CONVERSING.includes(application.status);
          return { messages, deficiencies, mayWrite };
        },
      ),

    /**
     * The deficiencies to answer on a page of applications, by application id (the required actions'
     * "Répondre" links).
     */
    async openItems(applicationIds: readonly number[]): Promise<Map<number, q.OpenItem[]>> {
      const byApplication = new Map<number, q.OpenItem[]>();
      for (const d of await q.openDeficiencies(db, applicationIds))
        byApplication.set(d.application_id, [...(byApplication.get(d.application_id) ?? []), d]);
      return byApplication;
    },

    /** What staff's page shows: every message and note, and the deficiencies. */
    forStaff: (applicationId: number) =>
      Read.all(
        [q.messages(db, applicationId, true), q.deficiencies(db, applicationId)],
        ([messages, deficiencies]) => ({
          messages,
          deficiencies,
        }),
      ),

    /**
     * A message from the applicant's side, answering a deficiency when `answering` names one still open.
     * Only someone on the applicant's side writes (anyone else who sees the application, e.g. a member
     * with only Payer, reads).
     */
    async postFromApplicant(by: Mover, ref: string, body: string, answering?: number): Promise<PostResult> {
      return inTransaction(db, async (tx) => {
        const application = await findVisible(tx, by.userId!, ref, true);
        if (!application || application.status === 'draft') return 'notFound';
        if (!CONVERSING.includes(application.status) || !(await onApplicantSide(tx, application, by.userId!)))
          return 'notAllowed';
        // The application's row is locked: the deficiency cannot be answered meanwhile by someone else.
        if (answering !== undefined && !(await q.isOpenDeficiency(tx, application.id, answering, false)))
          return 'notOpen';
        await applicantWrites(tx, application, by, body, answering);
        return 'sent';
      });
    },

    applicantWrites,
    onApplicantSide,

    /** A message from staff, emailed to the applicant's side; or a note, which only staff ever see. */
    async postFromStaff(by: Mover, number: string, body: string, staffOnly: boolean): Promise<PostResult> {
      return inTransaction(db, async (tx) => {
        const application = await lockApplicationByNumber(tx, number);
        if (!application) return 'notFound';
        if (!staffOnly && !CONVERSING.includes(application.status)) return 'notAllowed';
        await q.insertMessage(tx, {
          applicationId: application.id,
          authorUserId: by.userId!,
          authorName: by.name!,
          side: 'staff',
          staffOnly,
          body,
        });
        if (!staffOnly)
          await notify.applicantSide(tx, application, 'messages', {
            template: 'messageToApplicant',
            params: { number, author: by.name!, body },
            link: { page: 'application', params: { ref: number } },
          });
        return 'sent';
      });
    },

    /** Staff judge a deficiency answered (or settled otherwise): it leaves the applicant's required actions. */
    async resolve(by: Mover, number: string, deficiencyId: number): Promise<PostResult> {
      return inTransaction(db, async (tx) => {
        const application = await lockApplicationByNumber(tx, number);
        if (!application) return 'notFound';
        return (await q.resolveDeficiency(tx, application.id, deficiencyId, by.userId!)) ? 'sent' : 'notOpen';
      });
    },
  };
}

export type Conversation = ReturnType<typeof conversation>;
