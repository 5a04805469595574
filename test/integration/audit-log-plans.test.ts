import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, type AuditFilter } from '../../src/features/staff/audit-log-queries';
import { testPortal } from '../support/app';

/**
 * Issue 18 item 5: the audit log is kept for ever (50,000,000 events measured by npm run bench:audit), so
 * each of the page's filters must be readable newest first from an index and stop at the page's 200
 * rows, never sort an account's whole history. With sorting priced out, such a plan must exist.
 */
const portal = testPortal();
const db = portal.runtime.db;
afterAll(() => portal.close());

async function planOf(filter: AuditFilter): Promise<string> {
  const { sql, bindings } = auditLog(db, filter).toSQL();
  return db.transaction(async (tx) => {
    await tx.raw('SET LOCAL enable_sort = off');
    await tx.raw('SET LOCAL enable_bitmapscan = off');
    const { rows } = await tx.raw(`EXPLAIN ${sql}`, bindings);
    return rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
  });
}

describe('the audit page reads newest first from an index, whatever the filter', () => {
  const cases: [string, AuditFilter, string][] = [
    ['no filter', {}, 'audit_events_occurred_at_index'],
    ['an actor', { actor: 'someone@example.test' }, 'audit_events_actor'],
    ['a subject', { subject: 'someone@example.test' }, 'audit_events_subject_user_id_occurred_at_index'],
    ['an event', { event: 'signin.failed' }, 'audit_events_event_occurred_at_index'],
  ];
  for (const [name, filter, index] of cases) {
    it(name, async () => {
      const plan = await planOf(filter);
      expect(plan).toMatch(new RegExp(`Index Scan Backward using ${index} on audit_events`));
      expect(plan).not.toMatch(/Sort/);
    });
  }
});
