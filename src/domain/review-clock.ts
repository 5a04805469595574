import type { ApplicationStatus } from './application-lifecycle';
import { addBusinessDays, businessDaysBetween, cityDay, type Day } from './business-days';
import type { PermitType } from './permit-types';

/**
 * The time the Ontario Building Code gives the city to issue or refuse a permit once the application is
 * complete, in business days, by permit type: 10 for a house and what goes with one (an addition, a deck,
 * an accessory building, a pool enclosure), 15 for other small buildings (an interior alteration), 20 for
 * large buildings, 30 for complex ones. In one table for the city to correct; a demolition is counted
 * with the house it takes down.
 */
export const REVIEW_DAYS: Record<PermitType, number> = {
  house: 10,
  addition: 10,
  accessory_building: 10,
  deck: 10,
  pool_enclosure: 10,
  interior_alteration: 15,
  demolition: 10,
};

/** A stretch of waiting for the applicant (Renseignements requis): from the request to the answer. */
export interface Pause {
  from: Day;
  /** Undefined while the city still waits. */
  to?: Day;
}

/**
 * When the decision is due: the type's business days counted from the day the application was submitted,
 * pushed back by the business days spent waiting for information the city asked for (the Code counts
 * from a complete application: one that lacks what the city asked for is not complete). While the city
 * waits, no date is due (undefined): the clock is paused.
 */
export function decisionDue(type: PermitType, submittedOn: Day, pauses: readonly Pause[]): Day | undefined {
  if (pauses.some((pause) => pause.to === undefined)) return undefined;
  const waited = pauses.reduce((sum, pause) => sum + businessDaysBetween(pause.from, pause.to!), 0);
  return addBusinessDays(submittedOn, REVIEW_DAYS[type] + waited);
}

/** How many business days late a decision is on this day (0 when not late). */
export function businessDaysLate(due: Day, today: Day): number {
  return businessDaysBetween(due, today);
}

/** What the clock says of an application today: running (due date, days late), or paused (and why). */
export type ClockReading =
  { state: 'running'; due: Day; late: number } | { state: 'paused'; waitingFor: 'information' | 'payment' };

/** The statuses in which the city waits for the applicant: the clock is paused, for this reason. */
const WAITING: Partial<Record<ApplicationStatus, 'information' | 'payment'>> = {
  information_required: 'information',
  payment_due: 'payment',
};

/** The statuses in which the city owes a decision: the clock runs (or waits for the applicant). */
const UNDER_REVIEW: readonly ApplicationStatus[] = [
  'submitted',
  'in_review',
  'information_required',
  'payment_due',
];

/**
 * The review clock of an application, from its history. The Code counts from a complete application, so
 * the clock pauses while the city waits for the applicant: from the request for information until the
 * applicant's side has answered every item (the review then goes on by itself: provideInformation) or
 * staff resume the review; and from the fees' assessment until they are paid (payFees). Undefined when
 * no decision is owed (a draft, or once the permit is issued or refused, the application withdrawn or
 * closed).
 */
export function readClock(
  application: { permit_type: string | null; status: ApplicationStatus; submitted_at: Date | null },
  history: readonly { from_status: string | null; to_status: string | null; occurred_at: Date }[],
  now: Date,
): ClockReading | undefined {
  if (!application.submitted_at || !application.permit_type || !UNDER_REVIEW.includes(application.status))
    return undefined;
  const waitingFor = WAITING[application.status];
  if (waitingFor) return { state: 'paused', waitingFor };
  const pauses: Pause[] = [];
  const waits = (status: string | null) => !!status && status in WAITING;
  for (const event of [...history].sort((a, b) => a.occurred_at.getTime() - b.occurred_at.getTime())) {
    const open = pauses.at(-1);
    if (waits(event.to_status) && !(open && !open.to)) pauses.push({ from: cityDay(event.occurred_at) });
    else if (waits(event.from_status) && !waits(event.to_status) && open && !open.to)
      open.to = cityDay(event.occurred_at);
  }
  const due = decisionDue(application.permit_type as PermitType, cityDay(application.submitted_at), pauses);
  if (!due) return { state: 'paused', waitingFor: 'information' };
  return { state: 'running', due, late: businessDaysLate(due, cityDay(now)) };
}
