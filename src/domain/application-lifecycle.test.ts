import { describe, expect, it } from 'vitest';
import {
  assertMove,
  canMove,
  IllegalStatusMove,
  isFinal,
  nextStatuses,
  STATUSES,
} from './application-lifecycle';

describe('application lifecycle', () => {
  it('starts as a draft that can only be submitted', () => {
    expect(nextStatuses('draft')).toEqual(['submitted']);
  });

  it('never goes back to draft, nor leaves withdrawn or closed', () => {
    for (const from of STATUSES) expect(canMove(from, 'draft'), from).toBe(false);
    expect(isFinal('withdrawn')).toBe(true);
    expect(isFinal('closed')).toBe(true);
    for (const to of STATUSES) {
      expect(canMove('withdrawn', to)).toBe(false);
      expect(canMove('closed', to)).toBe(false);
    }
  });

  it('once issued, can only be closed (an issued permit is never withdrawn)', () => {
    expect(nextStatuses('issued')).toEqual(['closed']);
    expect(canMove('issued', 'withdrawn')).toBe(false);
  });

  it('can be withdrawn while submitted, in review or with payment due', () => {
    for (const from of ['submitted', 'in_review', 'payment_due'] as const)
      expect(canMove(from, 'withdrawn')).toBe(true);
  });

  it('refuses an illegal move with a typed error', () => {
    expect(() => assertMove('issued', 'submitted')).toThrow(IllegalStatusMove);
    expect(() => assertMove('submitted', 'in_review')).not.toThrow();
  });

  it('has no move to itself', () => {
    for (const s of STATUSES) expect(canMove(s, s)).toBe(false);
  });
});
