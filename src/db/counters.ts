import type { Tx } from './knex';

/** The yearly counters: file numbers, permit numbers, receipt numbers. */
export type CounterTable = 'application_counters' | 'permit_counters' | 'receipt_counters';

/**
 * The next number of the year from a counter row locked by this transaction: numbers never repeat, and
 * a rolled-back transaction gives its number back, so there are no gaps.
 */
export async function nextInYear(tx: Tx, table: CounterTable, year: number): Promise<number> {
  const result = await tx.raw(
    `INSERT INTO ?? (year, last_value) VALUES (?, 1)
     ON CONFLICT (year) DO UPDATE SET last_value = ??.last_value + 1
     RETURNING last_value`,
    [table, year, table],
  );
  return Number(result.rows[0].last_value);
}

/** "PREFIX-2026-000123". */
export const yearlyNumber = (prefix: string, year: number, n: number) =>
  `${prefix}-${year}-${String(n).padStart(6, '0')}`;
