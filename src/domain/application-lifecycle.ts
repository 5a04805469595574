/**
 * The statuses of an application and the moves allowed between them. Every feature that changes a
 * status (submission, staff processing, withdrawal) asks this module; none keeps its own list.
 */
export const STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'payment_due',
  'issued',
  'withdrawn',
  'closed',
] as const;
export type ApplicationStatus = (typeof STATUSES)[number];

const MOVES: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  draft: ['submitted'],
  submitted: ['in_review', 'withdrawn', 'closed'],
  in_review: ['payment_due', 'issued', 'withdrawn', 'closed'],
  payment_due: ['in_review', 'issued', 'withdrawn', 'closed'],
  issued: ['closed'],
  withdrawn: [],
  closed: [],
};

export function canMove(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return MOVES[from].includes(to);
}

export function nextStatuses(from: ApplicationStatus): readonly ApplicationStatus[] {
  return MOVES[from];
}

/** Statuses that ask something of the applicant: they appear under "Actions requises". */
export const ACTION_REQUIRED: readonly ApplicationStatus[] = ['draft', 'payment_due'];

/** A final status: nothing more happens to the application. */
export function isFinal(status: ApplicationStatus): boolean {
  return MOVES[status].length === 0;
}

export class IllegalStatusMove extends Error {
  constructor(
    readonly from: ApplicationStatus,
    readonly to: ApplicationStatus,
  ) {
    super(`An application cannot go from ${from} to ${to}`);
  }
}

export function assertMove(from: ApplicationStatus, to: ApplicationStatus): void {
  if (!canMove(from, to)) throw new IllegalStatusMove(from, to);
}
