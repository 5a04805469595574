import { inTransaction, type Db, type Tx } from '../../db/knex';
import { Read } from '../../db/together';
import { inspectionDayProblem } from '../../domain/inspections';
import type { Mover, MoveStatus } from '../applications/lifecycle';
import {
  addEvent,
  findVisible,
  lockApplicationByNumber,
  mayAct,
  standingOn,
  type ApplicationRow,
  type Standing,
} from '../applications/queries';
import type { Notice, Notifier } from '../review/notify';
import { inspectionCalendar } from './calendar';
import * as q from './queries';
import type { InspectionRequest, ResultInput, ScheduleInput } from './schemas';

/** A form's problem, beside the field it names (its message key), or a state the page explains. */
export type InspectionOutcome =
  | 'done'
  | 'notFound'
  | 'notAllowed'
  | 'changed'
  | { field: string; message: string; params?: Record<string, string> };

const OPEN: readonly string[] = ['requested', 'scheduled'];

/** Whether this person may ask for an inspection of this application: an issued permit, Inspection. */
export function requestAllowed(standing: Standing, application: ApplicationRow): boolean {
  return application.status === 'issued' && mayAct(standing, 'inspect');
}

/**
 * Inspections (J10): asked for on an issued permit by its applicant's side (the applicant, or a company
 * member with Inspection), scheduled by staff (the email carries a calendar file), then passed or failed;
 * a failed stage waits under Actions requises to be booked again; the final stage's passing closes the
 * permit, never while a mandatory stage has not passed. Each step is in the application's history and
 * emailed to its applicant's side in their language.
 */
export function inspectionsService({
  db,
  moveStatus,
  notify,
  organizer,
}: {
  db: Db;
  moveStatus: MoveStatus;
  notify: Notifier;
  /** Who the calendar file says the inspection is with: the service and its address. */
  organizer: { name: string; email: string };
}) {
  const mayRequest = async (conn: Db | Tx, userId: number, application: ApplicationRow) =>
    requestAllowed(await standingOn(conn, userId, [application.id]), application);

  /** The mandatory stages of this permit not passed yet (other than `except`), by name. */
  async function mandatoryMissing(conn: Db | Tx, application: ApplicationRow, except?: string) {
    const [stages, inspections] = await Promise.all([
      q.stagesFor(conn, application.permit_type),
      q.inspectionsOf(conn, application.id),
    ]);
    const passed = new Set(inspections.filter((i) => i.status === 'passed').map((i) => i.stage));
    return stages.filter((s) => s.mandatory && s.code !== except && !passed.has(s.code));
  }

  const stageParams = (stage: q.StageRow | undefined) => ({
    stageFr: stage?.name_fr ?? '',
    stageEn: stage?.name_en ?? '',
  });

  async function tell(tx: Tx, application: ApplicationRow, notice: Notice) {
    await notify.applicantSide(tx, application, 'inspections', notice);
  }

  /** The calendar file of a scheduled inspection, as an email attachment. */
  function calendarFile(
    application: ApplicationRow,
    inspection: q.InspectionRow,
    stage: q.StageRow | undefined,
    cancelled = false,
  ) {
    const ics = inspectionCalendar(
      {
        uid: `inspection-${inspection.id}-${application.number}@permit-portal`,
        sequence: inspection.sequence,
        day: inspection.scheduled_on!,
        window: inspection.time_window!,
        summary: `${stage?.name_fr ?? inspection.stage} / ${stage?.name_en ?? inspection.stage} – ${application.number}`,
        description: `${application.number} · ${inspection.inspector_name ?? ''}`,
        location: `${application.street_number} ${application.street_name}, ${application.city}`,
        organizer,
      },
      cancelled,
    );
    return {
      filename: 'inspection.ics',
      contentType: `text/calendar; charset=utf-8; method=${cancelled ? 'CANCEL' : 'REQUEST'}`,
      content: Buffer.from(ics, 'utf8').toString('base64'),
    };
  }

  /** Staff's work on one inspection, under the application's lock. */
  async function onInspection(
    number: string,
    id: number,
    work: (
      tx: Tx,
      application: ApplicationRow,
      inspection: q.InspectionRow,
      stage: q.StageRow | undefined,
    ) => Promise<InspectionOutcome>,
  ): Promise<InspectionOutcome> {
    return inTransaction(db, async (tx) => {
      const application = await lockApplicationByNumber(tx, number);
      if (!application) return 'notFound';
      const inspection = await q.lockInspection(tx, application.id, id);
      if (!inspection) return 'notFound';
      const stage = (await q.stagesFor(tx, application.permit_type)).find((s) => s.code === inspection.stage);
      return work(tx, application, inspection, stage);
    });
  }

  return {
    inspectablePermits: (userId: number) => q.inspectablePermits(db, userId),
    mayRequest: requestAllowed,

    /** What an application's pages show: its inspections with their stage, and the stages that apply. */
    ofApplication: (application: ApplicationRow) =>
      Read.all(
        [q.stagesFor(db, application.permit_type), q.inspectionsOf(db, application.id)],
        ([stages, inspections]) => {
          const byCode = new Map(stages.map((s) => [s.code, s]));
          return { stages, inspections: inspections.map((i) => ({ ...i, stageRow: byCode.get(i.stage) })) };
        },
      ),

    /**
     * "Demande d'inspection": checked again under the application's lock (issued, this person may ask,
     * the stage applies and is neither passed nor already asked for, the day allowed).
     */
    async request(
      by: Mover,
      ref: string,
      input: InspectionRequest,
      now = new Date(),
    ): Promise<InspectionOutcome> {
      return inTransaction(db, async (tx) => {
        const application = await findVisible(tx, by.userId!, ref, true);
        if (!application) return 'notFound';
        if (!(await mayRequest(tx, by.userId!, application))) return 'notAllowed';
        const stages = await q.stagesFor(tx, application.permit_type);
        const stage = stages.find((s) => s.code === input.stage);
        if (!stage) return { field: 'stage', message: 'validation:stage.required' };
        const earlier = (await q.inspectionsOf(tx, application.id)).filter((i) => i.stage === stage.code);
        if (earlier.some((i) => i.status === 'passed'))
          return { field: 'stage', message: 'validation:stage.passed' };
        if (earlier.some((i) => OPEN.includes(i.status)))
          return { field: 'stage', message: 'validation:stage.open' };
        const problem = inspectionDayProblem(input.preferredOn, now);
        if (problem) return { field: 'preferredOn', message: `validation:preferredOn.${problem}` };
        await q.insertInspection(tx, {
          application_id: application.id,
          stage: stage.code,
          preferred_on: input.preferredOn,
          contact_phone: input.contactPhone!,
          notes: input.notes,
          requested_by: by.userId!,
          requested_by_name: by.name!,
        });
        await q.refreshToBook(tx, application.id);
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId!,
          actorName: by.name!,
          event: 'inspection_requested',
          details: { stage: stage.code, preferredOn: input.preferredOn },
        });
        return 'done';
      });
    },

    /** "Planifier" (or move): the day, the window, the inspector; emailed with its calendar file. */
    schedule(by: Mover, number: string, id: number, input: ScheduleInput): Promise<InspectionOutcome> {
      return onInspection(number, id, async (tx, application, inspection, stage) => {
        if (!OPEN.includes(inspection.status)) return 'changed';
        const moved = inspection.status === 'scheduled';
        const updated = {
          status: 'scheduled' as const,
          scheduled_on: input.day,
          time_window: input.window,
          inspector_name: input.inspector,
          sequence: moved ? inspection.sequence + 1 : 0,
        };
        await q.updateInspection(tx, id, updated);
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId!,
          actorName: by.name!,
          event: moved ? 'inspection_moved' : 'inspection_scheduled',
          details: { stage: inspection.stage, day: input.day, window: input.window },
        });
        await tell(tx, application, {
          template: moved ? 'inspectionMoved' : 'inspectionScheduled',
          params: {
            number,
            ...stageParams(stage),
            day: input.day,
            window: input.window,
            inspector: input.inspector,
          },
          link: { page: 'application', params: { ref: number } },
          attachments: [calendarFile(application, { ...inspection, ...updated }, stage)],
        });
        return 'done';
      });
    },

    /** "Annuler": a request or a scheduled inspection; a scheduled one's calendar event is cancelled. */
    cancel(by: Mover, number: string, id: number, reason: string): Promise<InspectionOutcome> {
      return onInspection(number, id, async (tx, application, inspection, stage) => {
        if (!OPEN.includes(inspection.status)) return 'changed';
        await q.updateInspection(tx, id, {
          status: 'cancelled',
          result_notes: reason,
          decided_by_name: by.name!,
          decided_at: new Date(),
          sequence: inspection.sequence + 1,
        });
        await q.refreshToBook(tx, application.id);
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId!,
          actorName: by.name!,
          event: 'inspection_cancelled',
          details: { stage: inspection.stage, reason },
        });
        await tell(tx, application, {
          template: 'inspectionCancelled',
          params: { number, ...stageParams(stage), reason },
          link: { page: 'application', params: { ref: number } },
          ...(inspection.status === 'scheduled'
            ? {
                attachments: [
                  calendarFile(
                    application,
                    { ...inspection, sequence: inspection.sequence + 1 },
                    stage,
                    true,
                  ),
                ],
              }
            : {}),
        });
        return 'done';
      });
    },

    /**
     * "Résultat": Réussie, or Échouée with what to correct (then booked again from Actions requises).
     * The final stage passing closes the permit; it cannot pass while a mandatory stage has not.
     */
    record(by: Mover, number: string, id: number, input: ResultInput): Promise<InspectionOutcome> {
      return onInspection(number, id, async (tx, application, inspection, stage) => {
        if (inspection.status !== 'scheduled') return 'changed';
        const closes = input.outcome === 'passed' && !!stage?.final;
        if (closes) {
          const missing = await mandatoryMissing(tx, application, inspection.stage);
          if (missing.length)
            return {
              field: 'outcome',
              message: 'validation:outcome.mandatoryMissing',
              params: { stages: missing.map((s) => `${s.name_fr} / ${s.name_en}`).join(', ') },
            };
        }
        await q.updateInspection(tx, id, {
          status: input.outcome,
          result_notes: input.resultNotes,
          decided_by_name: by.name!,
          decided_at: new Date(),
        });
        await q.refreshToBook(tx, application.id);
        await addEvent(tx, {
          applicationId: application.id,
          actorUserId: by.userId!,
          actorName: by.name!,
          event: input.outcome === 'passed' ? 'inspection_passed' : 'inspection_failed',
          details: { stage: inspection.stage },
        });
        await tell(tx, application, {
          template: input.outcome === 'passed' ? 'inspectionPassed' : 'inspectionFailed',
          params: { number, ...stageParams(stage), notes: input.resultNotes },
          link: { page: 'application', params: { ref: number } },
        });
        if (closes)
          await moveStatus(tx, {
            application,
            to: 'closed',
            side: 'staff',
            by,
            event: 'final_inspection_passed',
            audit: { event: 'staff.status_changed', details: { number, move: 'close', reason: 'final' } },
          });
        return 'done';
      });
    },

    /** For the staff's close move: the mandatory stages an issued permit has not passed. */
    mandatoryMissing: (tx: Tx, application: ApplicationRow) => mandatoryMissing(tx, application),

    /** Staff's queue: the requests to schedule, and the day's schedule. */
    async queue(day: string) {
      const [waiting, scheduled] = await Promise.all([q.toSchedule(db), q.scheduledOn(db, day)]);
      return { waiting, scheduled };
    },
  };
}

export type InspectionsService = ReturnType<typeof inspectionsService>;
