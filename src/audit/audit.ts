import type { Db, Tx } from '../db/knex';

export const AUDIT_EVENTS = [
  'account.created',
  'account.activated',
  'account.signup_repeated',
  'signin.password_accepted',
  'signin.succeeded',
  'signin.failed',
  'signin.locked',
  'signout',
  'password.reset_requested',
  'password.reset',
  'password.changed',
  'email.change_requested',
  'email.changed',
  'rate_limit.hit',
  'pin.failed',
  'registration.completed',
  'client_record.linked',
  'company.created',
  'company.joined',
  'company.permissions_changed',
  'company.pin_changed',
  'withdrawal.requested',
  'mfa.succeeded',
  'mfa.failed',
  'mfa.reset',
  'staff.withdrawal_decided',
  'staff.status_changed',
  'staff.record_created',
  'staff.record_pin_renewed',
  'payment.notification_refused',
  'payment.mismatch',
  'document.uploaded',
  'document.downloaded',
  'document.infected',
] as const;

export type AuditEvent = (typeof AUDIT_EVENTS)[number];

export interface AuditEntry {
  event: AuditEvent;
  actorUserId?: number | null;
  subjectUserId?: number | null;
  ip?: string | null;
  details?: Record<string, unknown>;
}

/** An address as people write it: a dual-stack server sees IPv4 clients as ::ffff:203.0.113.5. */
export function plainIp(ip: string | null | undefined): string | null {
  if (!ip) return null;
  return ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
}

/** The trail of security events: who did what to whom, when and from where. */
export async function recordAudit(db: Db | Tx, entry: AuditEntry): Promise<void> {
  await db('audit_events').insert({
    event: entry.event,
    actor_user_id: entry.actorUserId ?? null,
    subject_user_id: entry.subjectUserId ?? entry.actorUserId ?? null,
    ip: plainIp(entry.ip),
    details: JSON.stringify(entry.details ?? {}),
  });
}
