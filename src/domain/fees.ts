import type { PermitType } from './permit-types';

/**
 * The permit types whose fee depends on the floor area ("Superficie (m²)" on the application form); the
 * others have a flat fee. For the city to correct, with the fee table itself (staff edit it).
 */
export const AREA_BASED: readonly PermitType[] = [
  'house',
  'addition',
  'accessory_building',
  'deck',
  'interior_alteration',
];

/** A line of the fee table, in integer cents. */
export interface FeeRate {
  rateCentsPerM2: number;
  flatCents: number;
  minimumCents: number;
}

/** "120,5", "120.50", "1 200" → hundredths of a m² (12050); undefined if it is not an area. */
export function parseArea(typed: string): number | undefined {
  const text = typed.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(text)) return undefined;
  const [units, decimals = ''] = text.split('.');
  const hundredths = Number(units) * 100 + Number(decimals.padEnd(2, '0'));
  return hundredths > 0 && hundredths <= 10_000_000 ? hundredths : undefined;
}

/**
 * What the fee table asks for an application: the flat fee plus the rate per m² times the area (rounded
 * to the nearest cent, half up), never below the minimum. All in integer cents.
 */
export function suggestedFee(rate: FeeRate, areaHundredths: number | null): number {
  const byArea = areaHundredths ? Math.round((rate.rateCentsPerM2 * areaHundredths) / 100) : 0;
  return Math.max(rate.minimumCents, rate.flatCents + byArea);
}

/** The sum of amounts in cents (never a float along the way). */
export function totalCents(amounts: readonly number[]): number {
  return amounts.reduce((sum, cents) => sum + cents, 0);
}

/** An amount typed in dollars ("1 250,50", "1250.5", "$1,250.50") → cents; undefined if it is not one. */
export function parseDollars(typed: string): number | undefined {
  let text = typed.replace(/[\s\u00a0\u202f$]/g, '');
  // "1,250.50" (English thousands) or "1250,50" (French decimals): the last separator is the decimal one.
  if (/,\d{3}(\.|$)/.test(text) && text.includes('.')) text = text.replace(/,/g, '');
  else text = text.replace(',', '.');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(text)) return undefined;
  const [units, decimals = ''] = text.split('.');
  return Number(units) * 100 + Number(decimals.padEnd(2, '0'));
}
