import { describe, expect, it } from 'vitest';
import {
  ACTION_REQUIRED,
  assertMove,
  canMove,
  IllegalStatusMove,
  isFinal,
  moveBetween,
  MOVE_NAMES,
  MOVES,
  nextStatuses,
  STATUSES,
  type ApplicationStatus,
  type MoveName,
  type Side,
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

describe('the named moves of J8', () => {
  // Each pair of statuses, and the move each side makes between them.
  const allowed = new Map<string, Partial<Record<Side, MoveName>>>();
  for (const name of MOVE_NAMES)
    for (const from of MOVES[name].from) {
      const pair = `${from}→${MOVES[name].to}`;
      allowed.set(pair, { ...allowed.get(pair), [MOVES[name].by]: name });
    }

  it('walks every allowed move, by the side that makes it and by no other', () => {
    expect(allowed.size).toBe(18);
    for (const [pair, bySide] of allowed) {
      const [from, to] = pair.split('→') as [ApplicationStatus, ApplicationStatus];
      for (const side of ['applicant', 'staff'] as const) {
        const name = bySide[side];
        if (name) expect(assertMove(from, to, side), `${pair} by ${side}`).toBe(name);
        else expect(() => assertMove(from, to, side), `${pair} by ${side}`).toThrow(IllegalStatusMove);
      }
    }
    // The one pair both sides make: the applicant answering, or staff going on without the answer.
    expect(allowed.get('information_required→in_review')).toEqual({
      applicant: 'provideInformation',
      staff: 'resumeReview',
    });
    expect(allowed.get('payment_due→in_review')).toEqual({ applicant: 'payFees', staff: 'resumeReview' });
  });

  it('refuses every other pair of statuses', () => {
    for (const from of STATUSES)
      for (const to of STATUSES) {
        if (allowed.has(`${from}→${to}`)) continue;
        expect(canMove(from, to), `${from}→${to}`).toBe(false);
        expect(() => assertMove(from, to), `${from}→${to}`).toThrow(IllegalStatusMove);
      }
  });

  it('ends at Retiré, Fermé or Refusé, and asks something of the applicant in Renseignements requis', () => {
    expect(STATUSES.filter(isFinal)).toEqual(['withdrawn', 'closed', 'refused']);
    expect(ACTION_REQUIRED).toContain('information_required');
    // The review goes on once the information comes, and a refusal can follow an unanswered request.
    expect(moveBetween('information_required', 'in_review', 'applicant')).toBe('provideInformation');
    expect(moveBetween('information_required', 'in_review', 'staff')).toBe('resumeReview');
    expect(moveBetween('information_required', 'refused')).toBe('refuse');
    // Fees (J9) take a reviewed application to Paiement exigible; paying them takes it back to review,
    // from which the permit is issued: never while fees are due.
    expect(moveBetween('in_review', 'payment_due')).toBe('assessFees');
    expect(moveBetween('payment_due', 'in_review', 'applicant')).toBe('payFees');
    expect(moveBetween('payment_due', 'issued')).toBeUndefined();
    expect(moveBetween('in_review', 'issued')).toBe('issue');
  });
});
