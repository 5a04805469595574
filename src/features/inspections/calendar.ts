import ical, { ICalCalendarMethod, ICalEventStatus } from 'ical-generator';
import { WINDOW_HOURS, type InspectionWindow } from '../../domain/inspections';
import { TIME_ZONE } from '../../domain/formatting';

const cityHour = new Intl.DateTimeFormat('en-CA', { timeZone: TIME_ZONE, hour: 'numeric', hourCycle: 'h23' });

/** The instant it is `hour`:00 in the city on `day` (Ottawa is UTC−5, or UTC−4 in summer time). */
export function cityInstant(day: string, hour: number): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  for (const offset of [5, 4]) {
    const candidate = new Date(Date.UTC(y, m - 1, d, hour + offset));
    if (Number(cityHour.format(candidate)) === hour) return candidate;
  }
  throw new Error(`no ${hour}:00 in ${TIME_ZONE} on ${day}`);
}

export interface CalendarInspection {
  /** Stable across reschedules, so a calendar replaces the event instead of adding one. */
  uid: string;
  sequence: number;
  day: string;
  window: InspectionWindow;
  summary: string;
  description: string;
  location: string;
  organizer: { name: string; email: string };
}

/**
 * The inspection as an iCalendar file (ical-generator, RFC 5545): a request when scheduled or moved
 * (the same UID, a higher SEQUENCE), a cancellation when cancelled. Times are UTC instants of the
 * window's hours in the city.
 */
export function inspectionCalendar(inspection: CalendarInspection, cancelled = false): string {
  const calendar = ical({
    prodId: { company: 'Building Code Services', product: 'Permit portal', language: 'FR' },
    method: cancelled ? ICalCalendarMethod.CANCEL : ICalCalendarMethod.REQUEST,
  });
  const hours = WINDOW_HOURS[inspection.window];
  calendar.createEvent({
    id: inspection.uid,
    sequence: inspection.sequence,
    start: cityInstant(inspection.day, hours.from),
    end: cityInstant(inspection.day, hours.to),
    summary: inspection.summary,
    description: inspection.description,
    location: inspection.location,
    organizer: inspection.organizer,
    status: cancelled ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
  });
  return calendar.toString();
}
