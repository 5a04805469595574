import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney } from './formatting';
import { parseArea, parseDollars, suggestedFee, totalCents } from './fees';

const rate = fc.record({
  rateCentsPerM2: fc.integer({ min: 0, max: 100_000 }),
  flatCents: fc.integer({ min: 0, max: 10_000_000 }),
  minimumCents: fc.integer({ min: 0, max: 10_000_000 }),
});
const area = fc.option(fc.integer({ min: 1, max: 10_000_000 }), { nil: null });

describe('fees, in integer cents', () => {
  it('are whole cents, never below the minimum, never less for a larger area', () => {
    fc.assert(
      fc.property(rate, area, fc.integer({ min: 0, max: 100_000 }), (r, a, more) => {
        const fee = suggestedFee(r, a);
        expect(Number.isSafeInteger(fee)).toBe(true);
        expect(fee).toBeGreaterThanOrEqual(r.minimumCents);
        expect(fee).toBeGreaterThanOrEqual(r.flatCents);
        expect(suggestedFee(r, (a ?? 0) + more)).toBeGreaterThanOrEqual(fee);
      }),
      { seed: 20261127 },
    );
  });

  it('rounds the area part to the nearest cent, half up', () => {
    // 1,50 $/m² × 10,01 m² = 15,015 $ → 15,02 $
    expect(suggestedFee({ rateCentsPerM2: 150, flatCents: 0, minimumCents: 0 }, 1001)).toBe(1502);
    // 12,34 $/m² × 120,5 m² + 250 $ = 1 736,97 $
    expect(suggestedFee({ rateCentsPerM2: 1234, flatCents: 25_000, minimumCents: 0 }, 12_050)).toBe(173_697);
    expect(suggestedFee({ rateCentsPerM2: 1234, flatCents: 0, minimumCents: 50_000 }, 100)).toBe(50_000);
  });

  it('adds up totals exactly, whatever the amounts', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 100_000_000 }), { maxLength: 50 }), (amounts) => {
        const total = totalCents(amounts);
        expect(Number.isSafeInteger(total)).toBe(true);
        expect(total).toBe(amounts.reduce((a, b) => a + b, 0));
      }),
    );
  });

  it('reads areas and dollar amounts as people type them, in either language', () => {
    expect(parseArea('120')).toBe(12_000);
    expect(parseArea('120,5')).toBe(12_050);
    expect(parseArea(' 1 200.25 ')).toBe(120_025);
    for (const bad of ['', '0', '-3', '12,345', 'abc', '1e3', '12.5.1'])
      expect(parseArea(bad), bad).toBeUndefined();
    expect(parseDollars('1 250,50')).toBe(125_050);
    expect(parseDollars('$1,250.50')).toBe(125_050);
    expect(parseDollars('1250.5')).toBe(125_050);
    expect(parseDollars('75')).toBe(7_500);
    for (const bad of ['', 'abc', '12,345,6', '-5', '1.234']) expect(parseDollars(bad), bad).toBeUndefined();
  });

  it('writes money as each language does: 1 250,50 $ and $1,250.50', () => {
    expect(formatMoney(125_050, 'fr')).toBe('1\u00a0250,50\u00a0$');
    expect(formatMoney(125_050, 'en')).toBe('$1,250.50');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 999_999_999 }), (cents) => {
        expect(parseDollars(formatMoney(cents, 'en'))).toBe(cents);
        expect(parseDollars(formatMoney(cents, 'fr'))).toBe(cents);
      }),
    );
  });
});
