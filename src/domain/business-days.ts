/**
 * Ontario business days, for the review clock. A day is a calendar date written 'YYYY-MM-DD' (the city's
 * date, never a time), so no time zone or daylight-saving change can move it.
 *
 * The city is closed on weekends and on the holidays below, each computed for any year rather than listed:
 * Ontario's statutory holidays (Employment Standards Act: New Year's Day, Family Day, Good Friday,
 * Victoria Day, Canada Day, Labour Day, Thanksgiving, Christmas, Boxing Day) and the Civic Holiday (the
 * first Monday of August), on which Ontario's municipalities close although the Act does not name it. A
 * holiday on a Saturday or Sunday is taken on the next weekday that is not already a holiday (Christmas
 * on a Saturday: Monday the 27th, and Boxing Day on the Sunday: Tuesday the 28th).
 */
export type Day = string;

const DAY_MS = 86_400_000;

function toDay(date: Date): Day {
  return date.toISOString().slice(0, 10);
}

function fromDay(day: Day): Date {
  return new Date(`${day}T00:00:00Z`);
}

function utc(year: number, month: number, date: number): Date {
  return new Date(Date.UTC(year, month - 1, date));
}

export function addDays(day: Day, n: number): Day {
  return toDay(new Date(fromDay(day).getTime() + n * DAY_MS));
}

export function isWeekend(day: Day): boolean {
  const weekday = fromDay(day).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** Easter Sunday (Gregorian), by the anonymous algorithm (Meeus, Jones, Butcher). */
export function easterSunday(year: number): Day {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const date = ((h + l - 7 * m + 114) % 31) + 1;
  return toDay(utc(year, month, date));
}

/** The nth given weekday (0 Sunday … 6 Saturday) of a month. */
function nthWeekday(year: number, month: number, weekday: number, n: number): Day {
  const first = utc(year, month, 1);
  const offset = (weekday - first.getUTCDay() + 7) % 7;
  return toDay(utc(year, month, 1 + offset + (n - 1) * 7));
}

/** Victoria Day: the Monday before May 25. */
function victoriaDay(year: number): Day {
  const may24 = utc(year, 5, 24);
  return toDay(utc(year, 5, 24 - ((may24.getUTCDay() + 6) % 7)));
}

/** The days the holidays fall on in this year, by name, before any is moved off a weekend. */
export function holidaysOf(year: number): Record<string, Day> {
  return {
    newYear: toDay(utc(year, 1, 1)),
    familyDay: nthWeekday(year, 2, 1, 3),
    goodFriday: addDays(easterSunday(year), -2),
    victoriaDay: victoriaDay(year),
    canadaDay: toDay(utc(year, 7, 1)),
    civicHoliday: nthWeekday(year, 8, 1, 1),
    labourDay: nthWeekday(year, 9, 1, 1),
    thanksgiving: nthWeekday(year, 10, 1, 2),
    christmas: toDay(utc(year, 12, 25)),
    boxingDay: toDay(utc(year, 12, 26)),
  };
}

const closedDays = new Map<number, Set<Day>>();

/** The days the city is closed for a holiday in this year (weekend holidays moved to a weekday). */
export function closedOn(year: number): Set<Day> {
  const known = closedDays.get(year);
  if (known) return known;
  const days = Object.values(holidaysOf(year)).sort();
  const closed = new Set(days.filter((day) => !isWeekend(day)));
  for (const day of days.filter(isWeekend)) {
    let substitute = addDays(day, 1);
    while (isWeekend(substitute) || closed.has(substitute)) substitute = addDays(substitute, 1);
    closed.add(substitute);
  }
  closedDays.set(year, closed);
  return closed;
}

export function isBusinessDay(day: Day): boolean {
  return !isWeekend(day) && !closedOn(Number(day.slice(0, 4))).has(day);
}

/** The business day `n` business days after `day` (before it when `n` is negative; the day itself does not count). */
export function addBusinessDays(day: Day, n: number): Day {
  const step = n < 0 ? -1 : 1;
  let current = day;
  for (let counted = 0; counted < Math.abs(n);) {
    current = addDays(current, step);
    if (isBusinessDay(current)) counted += 1;
  }
  return current;
}

/** Day number from Monday 1 January 1900, so a week starts at every multiple of 7. */
const MONDAY_1900 = Date.UTC(1900, 0, 1);

/** How many weekdays fall in the `n` days from Monday 1 January 1900 (days 0 to n − 1). */
function weekdaysBefore(n: number): number {
  return Math.floor(n / 7) * 5 + Math.min(((n % 7) + 7) % 7, 5);
}

/**
 * How many business days come after `from` up to and including `to` (0 when `to` is not later). Counted,
 * not walked: the weekdays by arithmetic, less the holidays in between (each a weekday once moved), so a
 * queue of late applications costs microseconds, however late.
 */
export function businessDaysBetween(from: Day, to: Day): number {
  if (to <= from) return 0;
  const number = (day: Day) => Math.round((fromDay(day).getTime() - MONDAY_1900) / DAY_MS);
  let count = weekdaysBefore(number(to) + 1) - weekdaysBefore(number(from) + 1);
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year += 1)
    for (const closed of closedOn(year)) if (closed > from && closed <= to) count -= 1;
  return count;
}

const cityDate = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'America/Toronto',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The city's date at this instant (Ottawa's time zone). */
export function cityDay(at: Date): Day {
  return cityDate.format(at);
}
