import { describe, expect, it } from 'vitest';
import { STATUSES } from './application-lifecycle';
import { PERMIT_TYPES } from './permit-types';
import { withdrawability } from './withdrawal-rules';

const app = (permit_type: string, status: (typeof STATUSES)[number], withdrawal_pending = false) => ({
  permit_type,
  status,
  withdrawal_pending,
});

describe('withdrawal rule table', () => {
  it('allows withdrawing a house while Soumis, En examen or Paiement exigible', () => {
    for (const status of ['submitted', 'in_review', 'payment_due'] as const) {
      expect(withdrawability(app('house', status))).toEqual({ allowed: true });
    }
  });

  it('never allows it once issued, withdrawn or closed, whatever the type', () => {
    for (const type of PERMIT_TYPES) {
      expect(withdrawability(app(type, 'issued'))).toEqual({ allowed: false, reason: 'issued' });
      expect(withdrawability(app(type, 'withdrawn'))).toEqual({ allowed: false, reason: 'final' });
      expect(withdrawability(app(type, 'closed'))).toEqual({ allowed: false, reason: 'final' });
    }
  });

  it('deletes drafts instead, and refuses a second request while one is pending', () => {
    expect(withdrawability(app('deck', 'draft'))).toEqual({ allowed: false, reason: 'draft' });
    expect(withdrawability(app('deck', 'submitted', true))).toEqual({ allowed: false, reason: 'pending' });
  });

  it('depends on the type: a demolition with payment due cannot be withdrawn', () => {
    expect(withdrawability(app('demolition', 'in_review'))).toEqual({ allowed: true });
    expect(withdrawability(app('demolition', 'payment_due'))).toEqual({ allowed: false, reason: 'type' });
  });
});
