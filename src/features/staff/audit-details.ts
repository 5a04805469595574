import type { TFunction } from 'i18next';
import { formatMoney, formatSize } from '../../domain/formatting';
import type { Lang } from '../../i18n/i18n';
import { STAFF_ACTIONS } from '../review/staff-moves';
import type { AuditRow } from './audit-log-queries';

// The codes the portal itself writes, said in words; anything else (a reason staff typed) as it is.
const REASONS = new Set(['password', 'second_factor', 'locked', 'unknown_email', 'final']);
const MOVES = new Set<string>(STAFF_ACTIONS);
// Ids that name nothing a clerk can use; the record they point at is shown instead, or nothing.
const HIDDEN = new Set(['companyId', 'userIds', 'applicationId', 'application_id']);

/**
 * An audit event's details as a clerk reads them, "Label : value" line by line, in the page's language:
 * never the raw JSON. The company and the application come from the query (their name and number).
 */
export function auditDetailLines(row: AuditRow, t: TFunction, lang: Lang): string[] {
  const lines: string[] = [];
  // French sets a space before the colon; English does not.
  const colon = lang === 'fr' ? ' : ' : ': ';
  const line = (key: string, value: string) => lines.push(`${t(`audit:details.${key}`)}${colon}${value}`);
  if (row.company_name) line('company', row.company_name);
  if (row.application_number) line('application', row.application_number);
  const statusChange = row.event === 'staff.status_changed';
  for (const [key, value] of Object.entries(row.details ?? {})) {
    if (HIDDEN.has(key) || value === null || value === undefined) continue;
    const text = String(value);
    switch (key) {
      case 'action':
        line(
          'action',
          text.startsWith('grant_')
            ? t('audit:actions.grant', { permission: t(`companies:permissions.${text.slice(6)}`) })
            : t(`audit:actions.${{ remove: 'remove', set: 'set' }[text] ?? 'revokeAll'}`),
        );
        break;
      // The permissions a grid save left the person with (Comptes associés), by their names.
      case 'permissions':
        line(
          'permissions',
          (value as string[]).map((p) => t(`companies:permissions.${p}`)).join(', ') || t('audit:none'),
        );
        break;
      case 'kind':
        line('kind', t(`audit:kinds.${text === 'contractor' || text === 'company' ? 'company' : 'client'}`));
        break;
      case 'reason':
        line('reason', REASONS.has(text) ? t(`audit:reasons.${text}`) : text);
        break;
      case 'move':
        line('move', MOVES.has(text) ? t(`staff:actions.${text}.title`) : text);
        break;
      case 'from':
      case 'to':
        line(key, statusChange ? t(`status:${text}`) : text);
        break;
      case 'approve':
        line('decision', t(value ? 'staff:withdrawal.status.approved' : 'staff:withdrawal.status.refused'));
        break;
      case 'refund':
        line('refund', t(`staff:refund.${text}`).replace(/^[^:]+:\s*/, ''));
        break;
      case 'refundCents':
      case 'amountCents':
        line('amount', formatMoney(Number(value), lang));
        break;
      case 'size':
        line('size', formatSize(Number(value), lang));
        break;
      case 'sha256':
        line('sha256', `${text.slice(0, 12)}…`);
        break;
      case 'claimed':
      case 'overpaid':
        line(key, t(value ? 'audit:yes' : 'audit:no'));
        break;
      case 'via':
        line('via', t('audit:via.activation'));
        break;
      case 'report':
        line(
          'report',
          typeof value === 'object'
            ? Object.entries(value)
                .map(([k, v]) => `${k} = ${String(v)}`)
                .join(', ')
            : text,
        );
        break;
      default:
        line(key, text);
    }
  }
  return lines;
}
