import { inTransaction, type Db, type Tx } from '../../db/knex';
import { MOVES, type ApplicationStatus, type MoveName } from '../../domain/application-lifecycle';
import type { NotificationEvent } from '../../domain/notifications';
import type { Mover, MoveStatus, StatusMove } from '../applications/lifecycle';
import { lockApplicationByNumber, type ApplicationRow } from '../applications/queries';
import type { PermitsService } from '../permits/service';
import type { FeesService } from '../fees/service';
import type { Notice, Notifier } from './notify';
import { insertDeficiencies } from './queries';

/**
 * What staff do to an application on its admin page, each a named move of the lifecycle (J8). A withdrawal
 * is not here: it is the decision on the applicant's request (features/withdrawals).
 */
export const STAFF_ACTIONS = [
  'startReview',
  'requestInformation',
  'resumeReview',
  'assessFees',
  'issue',
  'refuse',
  'close',
] as const satisfies readonly MoveName[];
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** What an action's form carries: deficiencies (one per line), a reason, a permit's conditions. */
export interface ActionInput {
  deficiencies?: string[];
  /** Documents asked for by name, one per line: each answered by an upload. */
  documents?: string[];
  /** Établir les frais: the amount, in cents. */
  amountCents?: number;
  reason?: string;
  conditions?: string;
}

export type MoveResult =
  | 'moved'
  | 'notFound'
  | 'illegal'
  | 'withdrawalPending'
  | 'changed'
  /** Établir les frais: an amount other than the fee table's needs a reason. */
  | 'reasonRequired'
  /** Fermer le dossier of an issued permit: a mandatory inspection has not passed. */
  | 'inspectionsMissing';

/** The actions an application in this status offers staff (none while a withdrawal request waits). */
export function staffActionsFrom(status: ApplicationStatus, withdrawalPending: boolean): StaffAction[] {
  if (withdrawalPending) return [];
  return STAFF_ACTIONS.filter((name) => (MOVES[name].from as readonly string[]).includes(status));
}

/** The history entry each action writes (applications:events.<name> in both languages). */
const EVENTS: Record<StaffAction, string> = {
  startReview: 'review_started',
  requestInformation: 'information_requested',
  resumeReview: 'review_resumed',
  assessFees: 'fees_assessed',
  issue: 'permit_issued',
  refuse: 'refused',
  close: 'status_changed',
};

/** Staff's moves: each checked, written with its history, audit and emails in one transaction. */
export function staffMoves({
  db,
  moveStatus,
  notify,
  permits,
  fees,
  inspectionsMissing,
}: {
  db: Db;
  moveStatus: MoveStatus;
  notify: Notifier;
  permits: PermitsService;
  fees: FeesService;
  /** The mandatory inspection stages an issued permit has not passed (it cannot be closed before). */
  inspectionsMissing: (tx: Tx, application: ApplicationRow) => Promise<unknown[]>;
}) {
  /** The email to the applicant's side for this action, and which of their preferences it falls under. */
  async function notice(
    tx: Tx,
    application: ApplicationRow,
    action: StaffAction,
    input: ActionInput,
    by: Mover,
  ): Promise<{ event: NotificationEvent; notice: Notice }> {
    const number = application.number!;
    const link = { page: 'application' as const, params: { ref: number } };
    switch (action) {
      case 'requestInformation':
        return {
          event: 'information',
          notice: {
            template: 'informationRequested',
            params: { number },
            items: [...(input.deficiencies ?? []), ...(input.documents ?? [])],
            link,
          },
        };
      case 'issue': {
        const permit = await permits.make(
          tx,
          application,
          { userId: by.userId!, name: by.name! },
          input.conditions ?? '',
        );
        return {
          event: 'status',
          notice: {
            template: 'permitIssued',
            params: { number, permit: permit.number },
            link,
            attachments: [
              {
                filename: `${permit.number}.pdf`,
                contentType: 'application/pdf',
                content: permit.pdf.toString('base64'),
              },
            ],
          },
        };
      }
      case 'assessFees':
        return {
          event: 'status',
          notice: {
            template: 'feesAssessed',
            params: { number, feeCents: String(input.amountCents) },
            link: { page: 'unpaidFees' as const },
          },
        };
      case 'refuse':
        return {
          event: 'status',
          notice: { template: 'refused', params: { number, reason: input.reason ?? '' }, link },
        };
      default:
        return {
          event: 'status',
          notice: { template: 'statusChanged', params: { number, status: MOVES[action].to }, link },
        };
    }
  }

  return {
    /**
     * Makes the action. `seen` is the status the staff member's page showed: when another has moved the
     * application since (two at once: the second waits on the row's lock), this one is told.
     */
    async act(
      staff: Mover,
      number: string,
      action: StaffAction,
      input: ActionInput,
      seen?: ApplicationStatus,
    ): Promise<MoveResult> {
      return inTransaction(db, async (tx) => {
        const application = await lockApplicationByNumber(tx, number);
        if (!application) return 'notFound';
        if (seen && application.status !== seen) return 'changed';
        // A pending withdrawal is decided first: the applicant asked before this move.
        if (application.withdrawal_pending) return 'withdrawalPending';
        if (action === 'close' && application.status === 'issued')
          if ((await inspectionsMissing(tx, application)).length) return 'inspectionsMissing';
        if (!staffActionsFrom(application.status, false).includes(action)) return 'illegal';
        const to = MOVES[action].to;
        if (action === 'assessFees') {
          const assessed = await fees.assess(
            tx,
            application,
            staff.userId!,
            input.amountCents!,
            input.reason ?? '',
          );
          if (assessed === 'reasonRequired') return assessed;
        }
        // Taking the assessment back: its unpaid fees go with it.
        if (action === 'resumeReview' && application.status === 'payment_due')
          await fees.cancelDue(tx, application.id);
        if (action === 'requestInformation') {
          await insertDeficiencies(tx, application.id, staff.userId!, input.deficiencies ?? []);
          await insertDeficiencies(tx, application.id, staff.userId!, input.documents ?? [], true);
        }
        const email = await notice(tx, application, action, input, staff);
        const move: StatusMove = {
          application,
          to,
          side: 'staff',
          by: staff,
          event: EVENTS[action],
          details: {
            ...(input.reason ? { reason: input.reason } : {}),
            ...(input.deficiencies?.length ? { deficiencies: input.deficiencies.length } : {}),
            ...(input.documents?.length ? { documents: input.documents.length } : {}),
            ...(input.amountCents ? { amountCents: input.amountCents } : {}),
          },
          ...(action === 'startReview' ? { columns: { reviewer_user_id: staff.userId } } : {}),
          audit: {
            event: 'staff.status_changed',
            details: { applicationId: application.id, move: action, from: application.status, to },
          },
        };
        await moveStatus(tx, move);
        await notify.applicantSide(tx, application, email.event, email.notice);
        return 'moved';
      });
    },
  };
}

export type StaffMoves = ReturnType<typeof staffMoves>;
