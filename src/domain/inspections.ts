import { addBusinessDays, cityDay, isBusinessDay, type Day } from './business-days';

/**
 * Inspections (J10): when one may be asked for, and how a day's slot is named. The stages themselves,
 * which permit types they apply to and which are mandatory, are data the city corrects (the table
 * inspection_stages), not code.
 */

/** A request made at or after this hour (the city's time) cannot have the next business day. */
export const NEXT_DAY_CUTOFF_HOUR = 15;

export const WINDOWS = ['morning', 'afternoon'] as const;
export type InspectionWindow = (typeof WINDOWS)[number];

export const INSPECTION_STATUSES = ['requested', 'scheduled', 'passed', 'failed', 'cancelled'] as const;
export type InspectionStatus = (typeof INSPECTION_STATUSES)[number];

const cityHour = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Toronto',
  hour: 'numeric',
  hourCycle: 'h23',
});

/**
 * The first day an inspection asked for now can take place: the next business day, or the one after
 * when the request comes at or after the cut-off hour (inspectors' days are planned the afternoon before).
 */
export function earliestInspectionDay(now: Date): Day {
  const late = Number(cityHour.format(now)) >= NEXT_DAY_CUTOFF_HOUR;
  return addBusinessDays(cityDay(now), late ? 2 : 1);
}

/** Whether an inspection may be asked for on `day`: a business day, not before the earliest. */
export function inspectionDayProblem(day: Day, now: Date): 'closed' | 'tooSoon' | undefined {
  if (day < earliestInspectionDay(now)) return 'tooSoon';
  if (!isBusinessDay(day)) return 'closed';
  return undefined;
}

/** The hours of a window, in the city's time, for the calendar file. */
export const WINDOW_HOURS: Record<InspectionWindow, { from: number; to: number }> = {
  morning: { from: 8, to: 12 },
  afternoon: { from: 12, to: 16 },
};
