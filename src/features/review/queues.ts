import type { Db } from '../../db/knex';
import { businessDaysLate } from '../../domain/review-clock';
import { cityDay } from '../../domain/business-days';
import * as q from './queries';

/** The staff review queue (J8): what awaits a decision, late ones first, and what waits for applicants. */
export function reviewQueues(db: Db) {
  return {
    async page(page: number, size: number) {
      const [queue, waiting] = await Promise.all([
        q.reviewQueue(db, { size, offset: (page - 1) * size }),
        page === 1 ? q.waitingQueue(db, 50) : Promise.resolve([]),
      ]);
      const today = cityDay(new Date());
      const late = (row: q.QueueRow) =>
        row.decision_due_on ? businessDaysLate(row.decision_due_on, today) : 0;
      return {
        rows: queue.rows.map((row) => ({ ...row, late: late(row) })),
        more: queue.more,
        waiting,
      };
    },
  };
}

export type ReviewQueues = ReturnType<typeof reviewQueues>;
