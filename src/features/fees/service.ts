import type { Db, Tx } from '../../db/knex';
import { cityDay } from '../../domain/business-days';
import { AREA_BASED, suggestedFee } from '../../domain/fees';
import type { PermitType } from '../../domain/permit-types';
import { mayAct, type ApplicationRow, type Standing } from '../applications/queries';
import * as q from './queries';

/** What the fee table says of an application: its suggested fee, or why there is none. */
export type Suggestion =
  | { cents: number; schedule: q.ScheduleRow; areaHundredths: number | null }
  | { cents?: undefined; missing: 'rate' | 'area' };

function areaOf(application: Pick<ApplicationRow, 'floor_area_m2'>): number | null {
  return application.floor_area_m2 === null ? null : Math.round(Number(application.floor_area_m2) * 100);
}

/** J9: the fee table, the fees assessed on an application, and those a person may pay. */
export function feesService({ db }: { db: Db }) {
  async function suggestion(
    conn: Db | Tx,
    application: Pick<ApplicationRow, 'permit_type' | 'floor_area_m2'>,
  ): Promise<Suggestion> {
    // Drafts are never assessed; one saved without its type has no line of the table.
    if (!application.permit_type) return { missing: 'rate' };
    const schedule = await q.scheduleInForce(conn, application.permit_type, cityDay(new Date()));
    if (!schedule) return { missing: 'rate' };
    const areaHundredths = areaOf(application);
    if (AREA_BASED.includes(application.permit_type as PermitType) && areaHundredths === null)
      return { missing: 'area' };
    const rate = {
      rateCentsPerM2: schedule.rate_cents_per_m2,
      flatCents: schedule.flat_cents,
      minimumCents: schedule.minimum_cents,
    };
    return { cents: suggestedFee(rate, areaHundredths), schedule, areaHundredths };
  }

  return {
    suggestion: (application: Pick<ApplicationRow, 'permit_type' | 'floor_area_m2'>) =>
      suggestion(db, application),

    feesOf: (applicationId: number) => q.feesOf(db, applicationId),

    refundsOf: (applicationId: number) => q.refundsOf(db, applicationId),

    table: () => q.schedules(db),

    addLine: (line: Parameters<typeof q.insertSchedule>[1]) => q.insertSchedule(db, line),

    payable: (userId: number) => q.payableFees(db, userId),

    companyFees: (companyId: number) => q.companyFees(db, companyId),

    /** Whether this person may pay this application's fees (and see them, and their receipts). */
    mayPay: (standing: Standing) => mayAct(standing, 'pay'),

    /**
     * Assesses the permit's fee in the caller's transaction (which holds the application's row): the
     * amount staff typed, the table's suggestion kept beside it; a different amount needs a reason.
     */
    async assess(
      tx: Tx,
      application: ApplicationRow,
      staffId: number,
      amountCents: number,
      reason: string,
    ): Promise<'assessed' | 'reasonRequired'> {
      const suggested = await suggestion(tx, application);
      if (amountCents !== suggested.cents && !reason.trim()) return 'reasonRequired';
      await q.insertFee(tx, {
        applicationId: application.id,
        amountCents,
        suggestedCents: suggested.cents ?? null,
        scheduleId: suggested.cents === undefined ? null : suggested.schedule.id,
        reason,
        assessedBy: staffId,
      });
      return 'assessed';
    },

    cancelDue: (tx: Tx, applicationId: number) => q.cancelDueFees(tx, applicationId),
  };
}

export type FeesService = ReturnType<typeof feesService>;
