import { addBusinessDays, businessDaysBetween, type Day } from './business-days';
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
