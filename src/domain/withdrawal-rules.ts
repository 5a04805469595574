import type { ApplicationStatus } from './application-lifecycle';
import { canMove } from './application-lifecycle';
import type { PermitType } from './permit-types';

/**
 * Whether an application may be withdrawn, from one table of permit type × status (kept beside the
 * lifecycle, which must also allow the move to Retiré). Most types can be withdrawn while Soumis, En
 * examen, Renseignements requis or Paiement exigible; a demolition no longer once payment is due (the
 * city has scheduled the work's review by then); never once the permit is issued or refused.
 */
const WITHDRAWABLE: Record<PermitType, readonly ApplicationStatus[]> = {
  house: ['submitted', 'in_review', 'information_required', 'payment_due'],
  addition: ['submitted', 'in_review', 'information_required', 'payment_due'],
  accessory_building: ['submitted', 'in_review', 'information_required', 'payment_due'],
  deck: ['submitted', 'in_review', 'information_required', 'payment_due'],
  pool_enclosure: ['submitted', 'in_review', 'information_required', 'payment_due'],
  interior_alteration: ['submitted', 'in_review', 'information_required', 'payment_due'],
  demolition: ['submitted', 'in_review', 'information_required'],
};

/** Why the Retirer button is disabled; each reason has its sentence in the locales (withdrawal:why.*). */
export type NotWithdrawable = 'draft' | 'issued' | 'final' | 'pending' | 'type';

export function withdrawability(application: {
  permit_type: string | null;
  status: ApplicationStatus;
  withdrawal_pending: boolean;
}): { allowed: true } | { allowed: false; reason: NotWithdrawable } {
  const { status } = application;
  if (status === 'draft' || !application.permit_type) return { allowed: false, reason: 'draft' };
  if (status === 'issued') return { allowed: false, reason: 'issued' };
  if (status === 'withdrawn' || status === 'closed' || status === 'refused')
    return { allowed: false, reason: 'final' };
  if (application.withdrawal_pending) return { allowed: false, reason: 'pending' };
  const allowed = WITHDRAWABLE[application.permit_type as PermitType] ?? [];
  if (!allowed.includes(status) || !canMove(status, 'withdrawn')) return { allowed: false, reason: 'type' };
  return { allowed: true };
}
