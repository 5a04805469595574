import type { Db } from '../../db/knex';
import * as q from './queries';
import { STATUSES, type ApplicationStatus } from '../../domain/application-lifecycle';

export interface Bar {
  label: string;
  value: number;
  /** Bar length as a share of the longest, 0 to 1. */
  share: number;
}

function bars<T>(rows: { key: T; value: number }[], label: (key: T) => string): Bar[] {
  const max = Math.max(1, ...rows.map((r) => r.value));
  return rows.map((r) => ({ label: label(r.key), value: r.value, share: r.value / max }));
}

/** Applications by status (drafts excepted) and withdrawal requests per week over the last 8 weeks. */
export async function staffFigures(db: Db) {
  const [byStatus, byWeek] = await Promise.all([q.countByStatus(db), q.withdrawalRequestsByWeek(db)]);
  const counts = new Map(byStatus.map((r) => [r.status, Number(r.n)]));
  const statuses = STATUSES.filter((s) => s !== 'draft').map((s) => ({ key: s, value: counts.get(s) ?? 0 }));
  // Every one of the 8 weeks appears, with 0 when nothing was asked.
  const monday = new Date();
  monday.setUTCHours(0, 0, 0, 0);
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  const weeks = Array.from({ length: 8 }, (_, i) => new Date(monday.getTime() - (7 - i) * 7 * 86_400_000));
  const perWeek = new Map(byWeek.map((r) => [new Date(r.week).toISOString().slice(0, 10), Number(r.n)]));
  return {
    statuses: (label: (s: ApplicationStatus) => string) => bars(statuses, label),
    weeks: (label: (d: Date) => string) =>
      bars(
        weeks.map((w) => ({ key: w, value: perWeek.get(w.toISOString().slice(0, 10)) ?? 0 })),
        label,
      ),
  };
}
