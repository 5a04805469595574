import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocateRefund, REFUND_PERCENT, REFUND_STAGES, stageReached, suggestedRefund } from './refunds';

describe('refunds', () => {
  it('suggest whole cents, never more than was paid, all of it only where the table says 100 %', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000_000 }),
        fc.constantFrom(...REFUND_STAGES),
        (paid, stage) => {
          const refund = suggestedRefund(paid, stage);
          expect(Number.isSafeInteger(refund)).toBe(true);
          expect(refund).toBeGreaterThanOrEqual(0);
          expect(refund).toBeLessThanOrEqual(paid);
          if (REFUND_PERCENT[stage] === 0) expect(refund).toBe(0);
        },
      ),
      { seed: 20261127 },
    );
    expect(suggestedRefund(173_697, 'review')).toBe(130_272); // 75 % of 1 736,97 $, rounded down
  });

  it('split a partial refund over the payments, never beyond what each can still give back', () => {
    const sources = fc.array(
      fc.record({ id: fc.nat(), refundableCents: fc.integer({ min: 0, max: 1_000_000 }) }),
      { maxLength: 6 },
    );
    fc.assert(
      fc.property(sources, fc.integer({ min: -5, max: 7_000_000 }), (from, amount) => {
        const total = from.reduce((sum, s) => sum + s.refundableCents, 0);
        const split = allocateRefund(from, amount);
        if (amount <= 0 || amount > total) {
          expect(split).toBeUndefined();
          return;
        }
        expect(split!.reduce((sum, s) => sum + s.cents, 0)).toBe(amount);
        for (const part of split!) {
          expect(part.cents).toBeGreaterThan(0);
          expect(part.cents).toBeLessThanOrEqual(part.refundableCents);
        }
      }),
      { seed: 20261127 },
    );
  });

  it('know the stage from the history', () => {
    expect(stageReached(['created', 'submitted'])).toBe('administrative');
    expect(stageReached(['submitted', 'review_started'])).toBe('review');
    expect(stageReached(['review_started', 'fees_assessed', 'fees_paid'])).toBe('feesAssessed');
    expect(stageReached(['fees_assessed', 'permit_issued'])).toBe('issued');
  });
});
