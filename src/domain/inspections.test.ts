import { describe, expect, it } from 'vitest';
import { earliestInspectionDay, inspectionDayProblem } from './inspections';

// Instants in Ottawa's time (EST, UTC−5, in late November and December).
const at = (local: string) => new Date(`${local}-05:00`);

describe('when an inspection may be asked for', () => {
  it('is the next business day before 15:00, the one after from 15:00', () => {
    expect(earliestInspectionDay(at('2026-11-26T14:59'))).toBe('2026-11-27');
    expect(earliestInspectionDay(at('2026-11-26T15:00'))).toBe('2026-11-30');
  });

  it('skips weekends and holidays (Friday afternoon → Tuesday; Christmas and Boxing Day)', () => {
    expect(earliestInspectionDay(at('2026-11-27T16:00'))).toBe('2026-12-01');
    // 2026-12-25 is a Friday; Boxing Day on Saturday is taken on Monday the 28th.
    expect(earliestInspectionDay(at('2026-12-24T09:00'))).toBe('2026-12-29');
  });

  it('refuses a day too soon, and a day the city is closed', () => {
    const now = at('2026-11-26T10:00');
    expect(inspectionDayProblem('2026-11-26', now)).toBe('tooSoon');
    expect(inspectionDayProblem('2026-11-27', now)).toBeUndefined();
    expect(inspectionDayProblem('2026-11-28', now)).toBe('closed');
    expect(inspectionDayProblem('2026-12-25', now)).toBe('closed');
  });
});
