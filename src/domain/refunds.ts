/**
 * Refunds on a withdrawal (J9): a percentage of the fees paid, by the stage the application had reached
 * when the city approved it — for the city to correct from its by-law (these are examples).
 */
export const REFUND_STAGES = ['administrative', 'review', 'feesAssessed', 'issued'] as const;
export type RefundStage = (typeof REFUND_STAGES)[number];

export const REFUND_PERCENT: Record<RefundStage, number> = {
  // Only administrative work done: the file was opened, nobody reviewed it.
  administrative: 90,
  // Review started.
  review: 75,
  // Review done, fees assessed.
  feesAssessed: 50,
  // The permit issued: the work is done.
  issued: 0,
};

/** The stage an application reached, from the events of its history. */
export function stageReached(events: readonly string[]): RefundStage {
  if (events.includes('permit_issued')) return 'issued';
  if (events.includes('fees_assessed')) return 'feesAssessed';
  if (events.includes('review_started')) return 'review';
  return 'administrative';
}

/** The refund the table suggests, in cents, rounded down: never more than what was paid. */
export function suggestedRefund(paidCents: number, stage: RefundStage): number {
  return Math.floor((paidCents * REFUND_PERCENT[stage]) / 100);
}

/**
 * Splits a refund over the payments it comes from, each up to what can still be refunded on it, oldest
 * first. Refuses (undefined) an amount larger than all of them together, or not a positive whole cent.
 */
export function allocateRefund<T extends { refundableCents: number }>(
  sources: readonly T[],
  amountCents: number,
): (T & { cents: number })[] | undefined {
  if (!Number.isSafeInteger(amountCents) || amountCents <= 0) return undefined;
  const allocation: (T & { cents: number })[] = [];
  let left = amountCents;
  for (const source of sources) {
    if (left === 0) break;
    const cents = Math.min(left, source.refundableCents);
    if (cents > 0) allocation.push({ ...source, cents });
    left -= cents;
  }
  return left === 0 ? allocation : undefined;
}
