/**
 * The application events a person may choose to be emailed about ("Mon profil"), every one by default.
 * Security emails (activation, password, sign-in locks, company access) are always sent: they are not
 * here. "withdrawal" is the guide's « Retirer la demande »: the city's decision on a withdrawal request.
 */
export const NOTIFICATION_EVENTS = [
  'status',
  'information',
  'messages',
  'withdrawal',
  'inspections',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Whether a person who opted out of these events is emailed about this one. */
export function wantsEmail(optOuts: readonly string[], event: NotificationEvent): boolean {
  return !optOuts.includes(event);
}
