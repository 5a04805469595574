import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addDays,
  businessDaysBetween,
  cityDay,
  closedOn,
  easterSunday,
  isBusinessDay,
  isWeekend,
} from './business-days';
import { businessDaysLate, decisionDue, readClock, REVIEW_DAYS } from './review-clock';

describe('Ontario business days', () => {
  it('finds Easter in any year (known dates, including the earliest and latest possible)', () => {
    expect(easterSunday(2024)).toBe('2024-03-31');
    expect(easterSunday(2025)).toBe('2025-04-20');
    expect(easterSunday(2026)).toBe('2026-04-05');
    expect(easterSunday(2027)).toBe('2027-03-28');
    expect(easterSunday(2038)).toBe('2038-04-25');
    expect(easterSunday(2285)).toBe('2285-03-22');
    expect(easterSunday(2000)).toBe('2000-04-23');
  });

  it('closes on the holidays of 2026, with Boxing Day on a Saturday taken on the Monday', () => {
    expect([...closedOn(2026)].sort()).toEqual([
      '2026-01-01', // New Year's Day
      '2026-02-16', // Family Day
      '2026-04-03', // Good Friday
      '2026-05-18', // Victoria Day
      '2026-07-01', // Canada Day
      '2026-08-03', // Civic Holiday
      '2026-09-07', // Labour Day
      '2026-10-12', // Thanksgiving
      '2026-12-25', // Christmas (Friday)
      '2026-12-28', // Boxing Day (Saturday 26th, taken Monday)
    ]);
  });

  it('moves a weekend Christmas and Boxing Day to the next free weekdays, and Canada Day on a Sunday to Monday', () => {
    // 2021: Christmas Saturday, Boxing Day Sunday.
    expect(closedOn(2021).has('2021-12-27')).toBe(true);
    expect(closedOn(2021).has('2021-12-28')).toBe(true);
    // 2022: Christmas Sunday, Boxing Day Monday: Christmas is taken on the Tuesday.
    expect(closedOn(2022).has('2022-12-26')).toBe(true);
    expect(closedOn(2022).has('2022-12-27')).toBe(true);
    // 2029: Canada Day Sunday.
    expect(closedOn(2029).has('2029-07-02')).toBe(true);
    // Victoria Day is the Monday before May 25, even when the 24th is a Monday (2027) or the 25th is (2026).
    expect(closedOn(2027).has('2027-05-24')).toBe(true);
    expect(closedOn(2026).has('2026-05-18')).toBe(true);
  });

  it('counts business days around a holiday weekend', () => {
    // Thursday 2026-04-02, before Good Friday: Monday 6th is the first business day after it.
    expect(addBusinessDays('2026-04-02', 1)).toBe('2026-04-06');
    // Friday before the Civic Holiday: the 10th business day is a Monday two weeks on, plus one.
    expect(addBusinessDays('2026-07-31', 10)).toBe('2026-08-17');
    // Across the year end: Dec 24 2026 (Thursday) + 3 → Dec 29, 30, 31.
    expect(addBusinessDays('2026-12-24', 3)).toBe('2026-12-31');
    expect(addBusinessDays('2026-12-24', 4)).toBe('2027-01-04');
    // Backwards (the staff inspection day's "previous business day"): from Easter Monday to Thursday.
    expect(addBusinessDays('2026-04-06', -1)).toBe('2026-04-02');
    expect(addBusinessDays('2027-01-04', -4)).toBe('2026-12-24');
    expect(businessDaysBetween('2026-12-24', '2027-01-04')).toBe(4);
  });

  it('never lands on a weekend or a holiday, and counts back what it added, for any day and count', () => {
    const days = fc.integer({ min: 0, max: 365 * 80 }).map((n) => addDays('1990-01-01', n));
    fc.assert(
      fc.property(days, fc.integer({ min: 1, max: 60 }), (day, n) => {
        const due = addBusinessDays(day, n);
        expect(isWeekend(due)).toBe(false);
        expect(isBusinessDay(due)).toBe(true);
        expect(businessDaysBetween(day, due)).toBe(n);
      }),
      { numRuns: 500, seed: 20261127 },
    );
  });

  it('counts business days between any two days as walking them one by one would, across years', () => {
    const days = fc.integer({ min: 0, max: 365 * 80 }).map((n) => addDays('1990-01-01', n));
    fc.assert(
      fc.property(days, fc.integer({ min: -10, max: 3 * 365 }), (from, span) => {
        const to = addDays(from, span);
        let walked = 0;
        for (let day = addDays(from, 1); day <= to; day = addDays(day, 1))
          if (isBusinessDay(day)) walked += 1;
        expect(businessDaysBetween(from, to), `${from} → ${to}`).toBe(walked);
      }),
      { numRuns: 300, seed: 20261127 },
    );
  });

  it("takes the city's date in Ottawa's time zone", () => {
    // 03:00 UTC on Jan 1st is still December 31st in Ottawa.
    expect(cityDay(new Date('2027-01-01T03:00:00Z'))).toBe('2026-12-31');
    expect(cityDay(new Date('2027-01-01T06:00:00Z'))).toBe('2027-01-01');
  });
});

describe('the review clock', () => {
  it('gives a house 10 business days and an interior alteration 15, from the submission', () => {
    expect(REVIEW_DAYS.house).toBe(10);
    // Submitted Wednesday 2026-12-16: 10 business days skip Christmas, Boxing Day (Monday 28th) and New Year.
    expect(decisionDue('house', '2026-12-16', [])).toBe('2027-01-04');
    expect(decisionDue('interior_alteration', '2026-12-16', [])).toBe('2027-01-11');
  });

  it('pauses while the city waits for information, and starts again when it comes', () => {
    expect(decisionDue('house', '2026-03-30', [{ from: '2026-04-01' }])).toBeUndefined();
    // Asked Wednesday 1 April, answered Tuesday 7 April: Thursday 2nd and Monday 6th and Tuesday 7th
    // (Good Friday closed) are 3 business days of waiting.
    const due = decisionDue('house', '2026-03-30', [{ from: '2026-04-01', to: '2026-04-07' }]);
    expect(due).toBe(addBusinessDays(decisionDue('house', '2026-03-30', [])!, 3));
  });

  it('says how many business days late a decision is', () => {
    expect(businessDaysLate('2027-01-04', '2027-01-04')).toBe(0);
    expect(businessDaysLate('2027-01-04', '2027-01-06')).toBe(2);
    expect(businessDaysLate('2027-01-04', '2026-12-31')).toBe(0);
  });
});

describe('reading the clock from an application and its history', () => {
  const at = (iso: string) => new Date(iso);
  const house = (status: 'submitted' | 'information_required' | 'in_review' | 'payment_due') => ({
    permit_type: 'house',
    status,
    submitted_at: at('2026-03-30T14:00:00Z'),
  });

  it('runs from the submission, pauses in Renseignements requis, and is pushed back by the wait', () => {
    const asked = {
      from_status: 'in_review',
      to_status: 'information_required',
      occurred_at: at('2026-04-01T15:00:00Z'),
    };
    const answered = {
      from_status: 'information_required',
      to_status: 'in_review',
      occurred_at: at('2026-04-07T15:00:00Z'),
    };
    expect(readClock(house('submitted'), [], at('2026-04-01T12:00:00Z'))).toEqual({
      state: 'running',
      due: decisionDue('house', '2026-03-30', []),
      late: 0,
    });
    expect(readClock(house('information_required'), [asked], at('2026-04-02T12:00:00Z'))).toEqual({
      state: 'paused',
      waitingFor: 'information',
    });
    const resumed = readClock(house('in_review'), [answered, asked], at('2026-04-08T12:00:00Z'));
    expect(resumed).toEqual({
      state: 'running',
      due: decisionDue('house', '2026-03-30', [{ from: '2026-04-01', to: '2026-04-07' }]),
      late: 0,
    });
    // Two business days past the due date.
    const due = (resumed as { due: string }).due;
    const late = readClock(house('in_review'), [asked, answered], at(`${addBusinessDays(due, 2)}T16:00:00Z`));
    expect(late).toMatchObject({ state: 'running', late: 2 });
  });

  it("pauses while fees are due, and counts the wait out of the city's time once they are paid", () => {
    const assessed = {
      from_status: 'in_review',
      to_status: 'payment_due',
      occurred_at: at('2026-04-01T15:00:00Z'),
    };
    const paid = {
      from_status: 'payment_due',
      to_status: 'in_review',
      occurred_at: at('2026-04-07T15:00:00Z'),
    };
    expect(readClock(house('payment_due'), [assessed], at('2026-04-02T12:00:00Z'))).toEqual({
      state: 'paused',
      waitingFor: 'payment',
    });
    expect(readClock(house('in_review'), [assessed, paid], at('2026-04-08T12:00:00Z'))).toMatchObject({
      state: 'running',
      due: decisionDue('house', '2026-03-30', [{ from: '2026-04-01', to: '2026-04-07' }]),
    });
  });

  it('owes no decision for a draft', () => {
    expect(
      readClock({ ...house('submitted'), submitted_at: null }, [], at('2026-04-01T12:00:00Z')),
    ).toBeUndefined();
  });
});
