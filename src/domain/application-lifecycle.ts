/**
 * The statuses of an application and the moves allowed between them (J8). Every feature that changes a
 * status (submission, staff review, withdrawal) asks this module; none keeps its own list.
 */
export const STATUSES = [
  'draft',
  'submitted',
  'in_review',
  'information_required',
  'payment_due',
  'issued',
  'withdrawn',
  'closed',
  'refused',
] as const;
export type ApplicationStatus = (typeof STATUSES)[number];

/** Who makes a move: the applicant's side (the applicant, or a company member who may submit), or staff. */
export type Side = 'applicant' | 'staff';

/**
 * Every move an application can make, by name, with who makes it (J8). A withdrawal is made by staff
 * deciding the applicant's request; "close" is staff closing a file (or, later, the final inspection).
 * Views ask which moves a person may make from here; moveStatus refuses any other.
 */
export const MOVES = {
  submit: { from: ['draft'], to: 'submitted', by: 'applicant' },
  startReview: { from: ['submitted'], to: 'in_review', by: 'staff' },
  requestInformation: { from: ['in_review'], to: 'information_required', by: 'staff' },
  // The applicant's side answered every deficiency: the review (and its clock) goes on by itself.
  provideInformation: { from: ['information_required'], to: 'in_review', by: 'applicant' },
  // Staff go on without waiting (an answer by telephone), or take back fees assessed by mistake.
  resumeReview: { from: ['information_required', 'payment_due'], to: 'in_review', by: 'staff' },
  assessFees: { from: ['in_review'], to: 'payment_due', by: 'staff' },
  // Every fee paid (the payment provider's word): the review goes on, and the permit can be issued.
  payFees: { from: ['payment_due'], to: 'in_review', by: 'applicant' },
  // A permit is issued from review: once fees are paid, or when none is due.
  issue: { from: ['in_review'], to: 'issued', by: 'staff' },
  refuse: { from: ['in_review', 'information_required'], to: 'refused', by: 'staff' },
  withdraw: {
    from: ['submitted', 'in_review', 'information_required', 'payment_due'],
    to: 'withdrawn',
    by: 'staff',
  },
  close: {
    from: ['submitted', 'in_review', 'information_required', 'payment_due', 'issued'],
    to: 'closed',
    by: 'staff',
  },
} as const satisfies Record<string, { from: readonly ApplicationStatus[]; to: ApplicationStatus; by: Side }>;

export type MoveName = keyof typeof MOVES;
export const MOVE_NAMES = Object.keys(MOVES) as MoveName[];

/** The named move that takes an application from one status to another (made by this side), if any. */
export function moveBetween(from: ApplicationStatus, to: ApplicationStatus, by?: Side): MoveName | undefined {
  return MOVE_NAMES.find(
    (name) =>
      MOVES[name].to === to &&
      (MOVES[name].from as readonly string[]).includes(from) &&
      (!by || MOVES[name].by === by),
  );
}

export function canMove(from: ApplicationStatus, to: ApplicationStatus): boolean {
  return moveBetween(from, to) !== undefined;
}

export function nextStatuses(from: ApplicationStatus): readonly ApplicationStatus[] {
  return STATUSES.filter((to) => canMove(from, to));
}

/** Statuses that ask something of the applicant: they appear under "Actions requises". */
export const ACTION_REQUIRED: readonly ApplicationStatus[] = ['draft', 'information_required', 'payment_due'];

/** A final status: nothing more happens to the application. */
export function isFinal(status: ApplicationStatus): boolean {
  return nextStatuses(status).length === 0;
}

export class IllegalStatusMove extends Error {
  constructor(
    readonly from: ApplicationStatus,
    readonly to: ApplicationStatus,
  ) {
    super(`An application cannot go from ${from} to ${to}`);
  }
}

/** Checks the move against the table, and that this side makes it; returns its name. */
export function assertMove(from: ApplicationStatus, to: ApplicationStatus, by?: Side): MoveName {
  const name = moveBetween(from, to, by);
  if (!name) throw new IllegalStatusMove(from, to);
  return name;
}
